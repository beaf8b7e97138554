package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.flow.Database;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/** ?wait: woken by a verdict given on this node, still sees one given elsewhere, gives up on time. */
class VerdictWaitTest {

    @TempDir
    static Path data;
    static Database database;
    static FlowStore here;
    /** The same database seen by another node: its transitions are not told to this node's waiters. */
    static FlowStore elsewhere;
    static VerdictWait verdicts;

    @BeforeAll
    static void open() {
        database = Database.open(Database.h2Url(data), "sa", "", 10);
        here = new FlowStore(database.dataSource(), Clock.systemUTC());
        elsewhere = new FlowStore(database.dataSource(), Clock.systemUTC());
        verdicts = new VerdictWait(here);
        here.events().onTransition(verdicts::statusChanged);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static Flow received() {
        String sha = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 64);
        return here.receive(new FlowStore.NewFlow("aubeval", sha, "facture.xml", "UBL_INVOICE", "http", "aubeval", 123,
                FlowStatus.RECEIVED, null, "reçu")).flow();
    }

    private static void validateLater(FlowStore store, Flow flow) {
        CompletableFuture.runAsync(() -> store.transition(flow.id(), Set.of(FlowStatus.RECEIVED), FlowStatus.VALIDATED,
                null, "valide"), CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aVerdictGivenOnThisNodeEndsTheWait() {
        Flow flow = received();
        validateLater(here, flow);
        long start = System.nanoTime();
        assertThat(verdicts.await(flow, Duration.ofSeconds(30)).status()).isEqualTo(FlowStatus.VALIDATED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aVerdictGivenOnAnotherNodeIsSeenByReadingTheStoreAgain() {
        Flow flow = received();
        validateLater(elsewhere, flow);
        assertThat(verdicts.await(flow, Duration.ofSeconds(30)).status()).isEqualTo(FlowStatus.VALIDATED);
    }

    @Test
    void withoutAVerdictTheFlowIsAnsweredAsItIsWhenTheWaitIsOver() {
        Flow flow = received();
        long start = System.nanoTime();
        assertThat(verdicts.await(flow, Duration.ofMillis(600)).status()).isEqualTo(FlowStatus.RECEIVED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
}
