package fr.passerelle.signature;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Demo signing keys, so that a fresh installation signs flows out of the box: a self-signed
 * RSA-2048 "Ordonnateur" certificate per commune, valid 3 years, in the commune's PKCS#12 with a
 * random password in {@code <keystore>.password} (owner read/write only). Hélios refuses such a
 * certificate (it is not RGS-qualified): production communes install their own PKCS#12.
 */
public final class DemoKeys {

    public static final String ALIAS = "ordonnateur";
    static final int RSA_BITS = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoKeys() {
    }

    /**
     * Creates the commune's demo keystore and its password file when the keystore does not exist
     * yet; does nothing otherwise. Returns true when it created them.
     */
    public static boolean ensure(String communeId, String communeName, Path keystore) throws IOException {
        if (Files.exists(keystore)) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SigningKey key = selfSigned(communeName, now, ZonedDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(3).toInstant());
        char[] password = randomPassword();
        Path dir = keystore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path passwordFile = CommuneKeyStore.passwordFile(keystore);
        // both written to temporary files first (created rw------- by the JDK): a half-written keystore
        // would pass for a real one at the next start
        Path tmpKeystore = Files.createTempFile(dir, keystore.getFileName().toString(), ".tmp");
        Path tmpPassword = Files.createTempFile(dir, passwordFile.getFileName().toString(), ".tmp");
        try {
            ownerOnly(tmpKeystore);
            ownerOnly(tmpPassword);
            try (OutputStream out = Files.newOutputStream(tmpKeystore)) {
                store(key, password, out);
            }
            Files.writeString(tmpPassword, new String(password), StandardCharsets.UTF_8);
            try {
                Files.move(tmpKeystore, keystore); // never replaces: the first process to get there wins
            } catch (FileAlreadyExistsException e) {
                return false; // another process made the key: its password file stays too
            }
            Files.move(tmpPassword, passwordFile, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmpKeystore);
            Files.deleteIfExists(tmpPassword);
        }
        return true;
    }

    /**
     * A self-signed RSA-2048 ordonnateur certificate and its key, valid between the given
     * instants: CN = the commune's name, O = the commune, OU = Ordonnateur, C = FR. Used for demo
     * keys and by tests, which need certificates already expired or not yet valid.
     */
    public static SigningKey selfSigned(String communeName, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "FR")
                    .addRDN(BCStyle.O, communeName)
                    .addRDN(BCStyle.OU, "Ordonnateur")
                    .addRDN(BCStyle.CN, "Ordonnateur de " + communeName + " (démonstration)")
                    .build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM).setBit(63), Date.from(notBefore), Date.from(notAfter), subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            return new SigningKey(pair.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("demo certificate cannot be generated", e);
        }
    }

    /** Writes the key as a PKCS#12 under {@link #ALIAS}. */
    public static void store(SigningKey key, char[] password, OutputStream out) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key.privateKey(), password, key.chain().toArray(new X509Certificate[0]));
            ks.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("PKCS#12 cannot be written", e);
        }
    }

    static char[] randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its ACLs apply
        }
    }
}
