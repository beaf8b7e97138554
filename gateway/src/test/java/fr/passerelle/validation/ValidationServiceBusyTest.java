package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.flow.Database;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.intake.SupplierReports;
import fr.passerelle.tenant.TenantRegistry;

/**
 * A queue consumer that finds no free judge within the deadline (a runaway holds the only one) is
 * not the file's fault: the message is tried again, and its last delivery records FAILED, so the
 * flow never stays RECEIVED in the dead-letter queue.
 */
class ValidationServiceBusyTest {

    private static final int MAX_DELIVERIES = 3;

    @TempDir
    Path data;

    @Test
    void aFlowThatFindsNoFreeJudgeIsTriedAgainThenFailedOnItsLastDelivery() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Database database = Database.open(Database.h2Url(data), "sa", "", 4);
        try (database; DeadlineValidator judges = new DeadlineValidator("validation-judge", TestJudges.deafOnStuckFiles(release), 1, Duration.ofMinutes(5),
                Duration.ofMillis(300), Duration.ofMillis(100))) {
            FlowStore flows = new FlowStore(database.dataSource(), Clock.systemUTC());
            OriginalStore originals = new OriginalStore(data);
            ValidationService stage = new ValidationService(judges, MAX_DELIVERIES, flows, originals,
                    new Quarantine(originals, data.resolve("quarantine")), TenantRegistry.load(Path.of("config", "tenants.yaml")),
                    new SupplierReports(data.resolve("sftp")));
            // the only judge is held by a runaway
            judges.validate(Path.of("stuck.xml"), "stuck.xml", InvoiceValidator.Options.standalone(false));
            await().atMost(Duration.ofSeconds(30)).until(() -> !judges.runaways().isEmpty());
            String flowId = received(flows, originals);

            assertThatThrownBy(() -> stage.validate(flowId, 1, null)).isInstanceOf(IllegalStateException.class);
            assertThat(flows.find(flowId).orElseThrow().status()).isEqualTo(FlowStatus.RECEIVED);
            assertThat(stage.validate(flowId, MAX_DELIVERIES, null).status()).isEqualTo(FlowStatus.FAILED);
            assertThat(flows.find(flowId).orElseThrow().status()).isEqualTo(FlowStatus.FAILED);

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> judges.runaways().isEmpty());
        } finally {
            release.countDown();
        }
    }

    private static String received(FlowStore flows, OriginalStore originals) throws Exception {
        OriginalStore.Stored stored = originals.store(new ByteArrayInputStream(
                "<Invoice/>".getBytes(StandardCharsets.UTF_8)), 1_000);
        return flows.receive(new FlowStore.NewFlow("aubeval", stored.sha256(), "facture.xml", "UBL_INVOICE", "http",
                "aubeval", stored.size(), FlowStatus.RECEIVED, null, "reçu")).flow().id();
    }
}
