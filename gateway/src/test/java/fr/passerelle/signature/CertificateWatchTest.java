package fr.passerelle.signature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateWatchTest {

    @Test
    void tellsWhichCertificatesCanSignAndWhichExpireSoon(@TempDir Path dir) throws Exception {
        List<Commune> communes = TenantRegistry.load(Path.of("config", "tenants.yaml")).communes().stream()
                .limit(4).toList();
        Instant now = Instant.now();
        store(dir, communes.get(0), TestKeys.valid());
        store(dir, communes.get(1), TestKeys.expired());
        store(dir, communes.get(2), TestKeys.between(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(12))));
        // the fourth has no keystore at all
        CertificateWatch watch = new CertificateWatch(communes, dir, new CommuneKeyStore(name -> null),
                Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));

        assertThat(watch.states()).isEmpty();
        Map<String, CertificateWatch.State> states = watch.check();

        assertThat(states).containsOnlyKeys(communes.stream().map(Commune::id).toList());
        assertThat(watch.states()).isEqualTo(states);
        CertificateWatch.State ok = states.get(communes.get(0).id());
        assertThat(ok.usable()).isTrue();
        assertThat(ok.expiringSoon()).isFalse();
        assertThat(ok.daysLeft()).isBetween(363L, 365L);
        CertificateWatch.State expired = states.get(communes.get(1).id());
        assertThat(expired.usable()).isFalse();
        assertThat(expired.problem()).startsWith("expired on");
        CertificateWatch.State soon = states.get(communes.get(2).id());
        assertThat(soon.usable()).isTrue();
        assertThat(soon.expiringSoon()).isTrue();
        assertThat(soon.daysLeft()).isBetween(11L, 12L);
        CertificateWatch.State missing = states.get(communes.get(3).id());
        assertThat(missing.usable()).isFalse();
        assertThat(missing.problem()).contains("not found");
    }

    private static void store(Path dir, Commune commune, SigningKey key) throws Exception {
        Path keystore = dir.resolve(commune.signingKey());
        Files.createDirectories(keystore.getParent());
        try (var out = Files.newOutputStream(keystore)) {
            DemoKeys.store(key, "pw".toCharArray(), out);
        }
        Files.writeString(CommuneKeyStore.passwordFile(keystore), "pw");
    }
}
