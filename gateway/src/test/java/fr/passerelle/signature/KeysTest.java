package fr.passerelle.signature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {

    @Test
    void demoKeysAreGeneratedOnceWithAPrivatePasswordFile(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("keys/aubeval.p12");

        assertThat(DemoKeys.ensure("aubeval", "Commune d’Aubeval", keystore)).isTrue();

        Path password = dir.resolve("keys/aubeval.p12.password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        byte[] first = Files.readAllBytes(keystore);
        assertThat(DemoKeys.ensure("aubeval", "Commune d’Aubeval", keystore)).isFalse();
        assertThat(Files.readAllBytes(keystore)).isEqualTo(first);
        try (var files = Files.list(dir.resolve("keys"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("aubeval.p12",
                    "aubeval.p12.password");
        }

        SigningKey key = new CommuneKeyStore(name -> null).load("aubeval", keystore);
        X509Certificate cert = key.certificate();
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=Ordonnateur de Commune d’Aubeval")
                .contains("O=Commune d’Aubeval").contains("C=FR");
        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity.toDays()).isBetween(365L * 3, 365L * 3 + 1);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[1]).as("nonRepudiation").isTrue();
        assertThat(key.toString()).doesNotContain(Files.readString(password));
    }

    @Test
    void thePasswordComesFromTheEnvironmentFirstThenFromTheFile(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("belcourt-le-haut.p12");
        char[] password = "s3cret-from-env".toCharArray();
        try (var out = Files.newOutputStream(keystore)) {
            DemoKeys.store(TestKeys.valid(), password, out);
        }
        Map<String, String> env = Map.of("PASSERELLE_KEY_PASSWORD_BELCOURT_LE_HAUT", "s3cret-from-env");

        assertThat(CommuneKeyStore.passwordVariable("belcourt-le-haut")).isEqualTo("PASSERELLE_KEY_PASSWORD_BELCOURT_LE_HAUT");
        SigningKey key = new CommuneKeyStore(env::get).load("belcourt-le-haut", keystore);
        assertThat(key.certificate()).isEqualTo(TestKeys.valid().certificate());

        // no variable: the file beside the keystore (its final newline is not part of the password)
        Files.writeString(dir.resolve("belcourt-le-haut.p12.password"), "s3cret-from-env\n");
        assertThat(new CommuneKeyStore(name -> null).load("belcourt-le-haut", keystore).privateKey()
                .getEncoded()).isEqualTo(TestKeys.valid().privateKey().getEncoded());
        // the variable wins over the file
        Files.writeString(dir.resolve("belcourt-le-haut.p12.password"), "wrong");
        assertThat(new CommuneKeyStore(env::get).load("belcourt-le-haut", keystore)).isNotNull();
    }

    @Test
    void errorsNeverShowThePassword(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("dormeval.p12");
        try (var out = Files.newOutputStream(keystore)) {
            DemoKeys.store(TestKeys.valid(), "right-one".toCharArray(), out);
        }

        assertThatThrownBy(() -> new CommuneKeyStore(name -> null).load("dormeval", keystore))
                .hasMessageContaining("PASSERELLE_KEY_PASSWORD_DORMEVAL").hasMessageContaining("dormeval.p12.password");
        assertThatThrownBy(() -> new CommuneKeyStore(name -> "not-the-right-one").load("dormeval", keystore))
                .hasMessageContaining("cannot be opened").hasMessageNotContaining("not-the-right-one");
    }

    @Test
    void daysLeftAndExpiringWithin() {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        SigningKey key = TestKeys.between(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(20)).plusSeconds(5));
        X509Certificate cert = key.certificate();

        assertThat(CertificateExpiry.daysLeft(cert, now)).isEqualTo(20);
        assertThat(CertificateExpiry.expiringWithin(cert, Duration.ofDays(30), now)).isTrue();
        assertThat(CertificateExpiry.expiringWithin(cert, Duration.ofDays(10), now)).isFalse();
        assertThat(CertificateExpiry.daysLeft(cert, now.plus(Duration.ofDays(25)))).isEqualTo(-5);
        assertThat(CertificateExpiry.validAt(cert, now)).isTrue();
        assertThat(CertificateExpiry.validAt(cert, now.plus(Duration.ofDays(21)))).isFalse();
    }
}
