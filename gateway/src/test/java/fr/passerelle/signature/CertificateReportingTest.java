package fr.passerelle.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.ops.CertificateHealthCheck;
import fr.passerelle.ops.CertificateMetrics;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;

/** What operations see of the signing certificates: health (with the expiring ones named) and the expiry timestamp metric. */
class CertificateReportingTest {

    @TempDir
    Path dir;

    private List<Commune> communes(int n) {
        return TenantRegistry.load(Path.of("config", "tenants.yaml")).communes().stream().limit(n).toList();
    }

    private void store(Commune commune, SigningKey key) throws Exception {
        Path keystore = dir.resolve(commune.signingKey());
        Files.createDirectories(keystore.getParent());
        try (var out = Files.newOutputStream(keystore)) {
            DemoKeys.store(key, "pw".toCharArray(), out);
        }
        Files.writeString(CommuneKeyStore.passwordFile(keystore), "pw");
    }

    private HealthCheck.Result health(CertificateWatch watch) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            CertificateHealthCheck check = new CertificateHealthCheck(watch);
            check.setCamelContext(camel);
            return check.call(java.util.Map.of(HealthCheck.CHECK_ENABLED, true));
        }
    }

    @Test
    void aCertificateExpiringSoonIsNamedInTheHealthDetailsAndCountedInTheMetric() throws Exception {
        List<Commune> communes = communes(3);
        Instant now = Instant.now();
        store(communes.get(0), TestKeys.valid());
        store(communes.get(1), TestKeys.between(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(12))));
        // the third has no keystore yet: with demo keys it gets one at its first signature, it is not watched
        CertificateWatch watch = new CertificateWatch(communes, dir, new CommuneKeyStore(name -> null),
                Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC), true);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CertificateMetrics.register(meters, watch, communes);
        watch.check();

        HealthCheck.Result result = health(watch);
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsKey("expiring." + communes.get(1).id())
                .doesNotContainKey("expiring." + communes.get(0).id());
        String scrape = meters.scrape();
        // the expiry as a timestamp in seconds (base unit), the certificate's notAfter
        java.util.regex.Matcher expiry = java.util.regex.Pattern.compile(
                "passerelle_signing_certificate_expiry_timestamp_seconds\\{commune=\"" + communes.get(1).id()
                        + "\"} (\\S+)").matcher(scrape);
        assertThat(expiry.find()).as(scrape).isTrue();
        assertThat(Double.parseDouble(expiry.group(1)))
                .isCloseTo(now.plus(Duration.ofDays(12)).getEpochSecond(), org.assertj.core.data.Offset.offset(1.0));
        assertThat(scrape).contains("passerelle_signing_certificate_expiry_timestamp_seconds{commune=\""
                + communes.get(2).id() + "\"} NaN");
    }

    @Test
    void anExpiredCertificateMakesTheHealthDown() throws Exception {
        List<Commune> communes = communes(2);
        store(communes.get(0), TestKeys.valid());
        store(communes.get(1), TestKeys.expired());
        CertificateWatch watch = new CertificateWatch(communes, dir, new CommuneKeyStore(name -> null),
                Duration.ofDays(30), Clock.systemUTC(), true);
        watch.check();
        HealthCheck.Result result = health(watch);
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains(communes.get(1).id())
                .doesNotContain(communes.get(0).id()));
    }
}
