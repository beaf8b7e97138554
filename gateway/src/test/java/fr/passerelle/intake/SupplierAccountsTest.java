package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.tenant.TenantConfigException;

class SupplierAccountsTest {

    @TempDir
    Path tmp;

    @Test
    void aSupplierCanAuthenticateWithItsPublicKeyOnly() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair mine = generator.generateKeyPair();
        KeyPair other = generator.generateKeyPair();
        Path file = tmp.resolve("accounts.yaml");
        Files.writeString(file, "accounts:\n  - user: acme\n    publicKeys:\n      - \""
                + PublicKeyEntry.toString(mine.getPublic()) + " acme@laptop\"\n");
        SupplierAccounts accounts = SupplierAccounts.load(file);
        assertThat(accounts.checkKey("acme", mine.getPublic())).isTrue();
        assertThat(accounts.checkKey("acme", other.getPublic())).isFalse();
        assertThat(accounts.checkKey("nobody", mine.getPublic())).isFalse();
        assertThat(accounts.checkPassword("acme", "")).isFalse();
    }

    @Test
    void aClearPasswordInTheFileIsRefused() throws Exception {
        Path file = tmp.resolve("accounts.yaml");
        Files.writeString(file, "accounts:\n  - user: acme\n    password: hunter2\n");
        assertThatThrownBy(() -> SupplierAccounts.load(file)).isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("stored hashed");
    }

    @Test
    void anUnknownKeyIsReportedWithItsLine() throws Exception {
        Path file = tmp.resolve("accounts.yaml");
        Files.writeString(file, "accounts:\n  - user: acme\n    pasword: x\n");
        assertThatThrownBy(() -> SupplierAccounts.load(file)).hasMessageContaining("accounts[0].pasword");
    }
}
