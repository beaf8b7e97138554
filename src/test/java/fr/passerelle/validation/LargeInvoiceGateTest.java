package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Two large invoices are never judged at once; a small one never waits. */
class LargeInvoiceGateTest {

    @Test
    void aSecondLargeInvoiceWaitsForTheFirstWhileSmallOnesPass() throws Exception {
        LargeInvoiceGate gate = new LargeInvoiceGate(2 << 20);
        AtomicBoolean secondIn = new AtomicBoolean();
        CompletableFuture<Void> second;
        try (LargeInvoiceGate.Pass first = gate.enter(5 << 20)) {
            second = CompletableFuture.runAsync(() -> {
                try (LargeInvoiceGate.Pass pass = gate.enter(3 << 20)) {
                    secondIn.set(true);
                }
            });
            try (LargeInvoiceGate.Pass small = gate.enter(100 << 10)) {
                assertThat(small).isNotNull(); // the small one went through while the large gate is held
            }
            assertThat(secondIn).isFalse();
        }
        second.get();
        await().atMost(Duration.ofSeconds(10)).untilTrue(secondIn);
    }
}
