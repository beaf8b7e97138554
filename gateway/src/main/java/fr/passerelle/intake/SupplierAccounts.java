package fr.passerelle.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import fr.passerelle.tenant.TenantConfigException;

/**
 * Suppliers' SFTP accounts ({@code config/sftp-accounts.yaml}): a password stored as a PBKDF2
 * hash, and/or OpenSSH public keys. Each supplier only ever sees its own home folder.
 */
public final class SupplierAccounts {

    private static final String PBKDF2 = "pbkdf2-sha256";
    private static final int ITERATIONS = 120_000;

    /** One account as written in the file. */
    public record Account(@JsonProperty("user") String user,
                          @JsonProperty("password") String passwordHash,
                          @JsonProperty("publicKeys") List<String> publicKeys,
                          @JsonProperty("name") String name) {
    }

    record File(@JsonProperty("accounts") List<Account> accounts) {
    }

    private final Map<String, Account> accounts;
    private final Map<String, List<PublicKey>> keys;

    private SupplierAccounts(Map<String, Account> accounts, Map<String, List<PublicKey>> keys) {
        this.accounts = accounts;
        this.keys = keys;
    }

    public static SupplierAccounts load(Path file) {
        if (!Files.exists(file)) {
            return new SupplierAccounts(Map.of(), Map.of());
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        File parsed;
        try {
            parsed = yaml.readValue(file.toFile(), File.class);
        } catch (MismatchedInputException e) {
            // accounts are bound through constructors, so Jackson reports the end of the entry: name its path too
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce("", (a, b) -> b.startsWith("[") ? a + b : (a.isEmpty() ? b : a + "." + b));
            throw new TenantConfigException(file + ":" + e.getLocation().getLineNr() + ": at " + path + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TenantConfigException(file + ": " + e.getMessage());
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        Map<String, List<PublicKey>> keys = new LinkedHashMap<>();
        for (Account a : parsed == null || parsed.accounts() == null ? List.<Account>of() : parsed.accounts()) {
            if (a.user() == null || !a.user().matches("[a-z0-9][a-z0-9._-]{1,63}")) {
                throw new TenantConfigException(file + ": SFTP user '" + a.user() + "' must be 2 to 64 lower-case "
                        + "letters, digits, '.', '_' or '-'");
            }
            if (accounts.put(a.user(), a) != null) {
                throw new TenantConfigException(file + ": SFTP user '" + a.user() + "' is given twice");
            }
            if (a.passwordHash() != null && !a.passwordHash().startsWith(PBKDF2 + ":")) {
                throw new TenantConfigException(file + ": the password of SFTP user '" + a.user() + "' must be stored "
                        + "hashed ('" + PBKDF2 + ":…', java -jar gateway/target/passerelle.jar hash-password PASSWORD)");
            }
            List<PublicKey> parsedKeys = new ArrayList<>();
            for (String line : a.publicKeys() == null ? List.<String>of() : a.publicKeys()) {
                try {
                    parsedKeys.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
                            .resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
                } catch (IOException | GeneralSecurityException | RuntimeException e) {
                    throw new TenantConfigException(file + ": public key of SFTP user '" + a.user()
                            + "' cannot be read (" + e.getMessage() + ")");
                }
            }
            keys.put(a.user(), parsedKeys);
        }
        return new SupplierAccounts(accounts, keys);
    }

    public List<String> users() {
        return List.copyOf(accounts.keySet());
    }

    public Optional<Account> account(String user) {
        return Optional.ofNullable(accounts.get(user));
    }

    public boolean checkPassword(String user, String password) {
        Account a = accounts.get(user);
        return a != null && a.passwordHash() != null && matches(password, a.passwordHash());
    }

    public boolean checkKey(String user, PublicKey key) {
        return keys.getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    /** pbkdf2-sha256:iterations:salt:hash, all in base64. */
    public static String hashPassword(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return PBKDF2 + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    static boolean matches(String password, String stored) {
        String[] parts = stored.split(":");
        if (parts.length != 4 || !parts[0].equals(PBKDF2)) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
