package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Two large invoices are never judged at once; a small one never waits. */
class LargeInvoiceGateTest {

    @Test
    void aSecondLargeInvoiceWaitsForTheFirstWhileSmallOnesPass() throws Exception {
        LargeInvoiceGate gate = new LargeInvoiceGate(2 << 20);
        AtomicBoolean secondIn = new AtomicBoolean();
        Thread second = new Thread(() -> {
            try (LargeInvoiceGate.Pass pass = gate.enter(3 << 20)) {
                secondIn.set(true);
            }
        }, "second-large-invoice");
        try (LargeInvoiceGate.Pass first = gate.enter(5 << 20)) {
            second.start();
            // parked on the gate, not merely slow to start
            await().atMost(Duration.ofSeconds(30)).until(() -> second.getState() == Thread.State.WAITING);
            assertThat(secondIn).isFalse();
            // a small invoice goes through while the gate is held (a hang here fails the guard)
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> gate.enter(100 << 10).close());
        }
        await().atMost(Duration.ofSeconds(30)).untilTrue(secondIn);
        second.join();
    }
}
