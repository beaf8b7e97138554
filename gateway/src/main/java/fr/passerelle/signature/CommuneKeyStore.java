package fr.passerelle.signature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A commune's signing key, from its PKCS#12. The password comes from the environment variable
 * {@code PASSERELLE_KEY_PASSWORD_<COMMUNE ID>} (upper case, '-' as '_'), or else from the file
 * {@code <keystore>.password} beside it. Passwords never appear in messages or logs, and never
 * in the repository (keystores live under data/, which is not committed).
 */
public final class CommuneKeyStore {

    private final Function<String, String> environment;

    public CommuneKeyStore() {
        this(System::getenv);
    }

    /** With another environment than the process's (tests cannot set variables). */
    public CommuneKeyStore(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The environment variable that holds a commune's keystore password. */
    public static String passwordVariable(String communeId) {
        return "PASSERELLE_KEY_PASSWORD_" + communeId.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Path passwordFile(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + ".password");
    }

    /** Loads the key of the keystore's only key entry (or of {@link DemoKeys#ALIAS} when there are several). */
    public SigningKey load(String communeId, Path keystore) throws IOException {
        if (!Files.isRegularFile(keystore)) {
            throw new NoSuchFileException(keystore.toString(), null, "keystore of commune " + communeId + " not found");
        }
        char[] password = password(communeId, keystore);
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (GeneralSecurityException | IOException e) {
            // a wrong password shows as an IOException from load(): say so, without the password
            throw new IOException("keystore " + keystore + " of commune " + communeId
                    + " cannot be opened (wrong password or damaged file): " + e.getClass().getSimpleName());
        }
        try {
            String alias = alias(ks, keystore);
            Key key = ks.getKey(alias, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IOException("keystore " + keystore + ": entry '" + alias + "' holds no private key");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ks.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            return new SigningKey(privateKey, chain);
        } catch (GeneralSecurityException e) {
            throw new IOException("keystore " + keystore + ": key cannot be read (" + e.getClass().getSimpleName() + ")");
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    char[] password(String communeId, Path keystore) throws IOException {
        String fromEnvironment = environment.apply(passwordVariable(communeId));
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Path file = passwordFile(keystore);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no password for the keystore of commune " + communeId + ": set "
                    + passwordVariable(communeId) + " or write it in " + file);
        }
        // the file's content up to its first line end: editors add a final newline
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int end = content.indexOf('\n');
        return (end < 0 ? content : content.substring(0, end)).replace("\r", "").toCharArray();
    }

    private static String alias(KeyStore ks, Path keystore) throws GeneralSecurityException, IOException {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keys.size() == 1) {
            return keys.get(0);
        }
        if (keys.contains(DemoKeys.ALIAS)) {
            return DemoKeys.ALIAS;
        }
        throw new IOException("keystore " + keystore + " holds " + keys.size() + " keys: expected one (or one named '"
                + DemoKeys.ALIAS + "')");
    }
}
