package fr.passerelle.validation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** A validation that runs over its budget gets a verdict at once, and the next file is judged. */
class DeadlineValidatorTest {

    private static final Path FILE = Path.of("facture.xml");
    private static final InvoiceValidator.Options OPTIONS = InvoiceValidator.Options.standalone(false);

    private final java.util.concurrent.atomic.AtomicBoolean spinStopped = new java.util.concurrent.atomic.AtomicBoolean();

    /** Burns CPU until interrupted, like a parser caught in a loop that still checks its thread. */
    private ValidationReport spin(String name) {
        long x = 0;
        while (!Thread.currentThread().isInterrupted()) {
            x += System.nanoTime() % 7;
        }
        spinStopped.set(true);
        return TestJudges.accepted(name + x);
    }

    @Test
    void aFileOverItsCpuBudgetIsRejectedWithLimitTimeAndTheNextOneIsJudged() throws Exception {
        try (DeadlineValidator judges = new DeadlineValidator("validation-judge",
                (file, name, options) -> name.startsWith("hostile") ? spin(name) : TestJudges.accepted(name), 2,
                Duration.ofMillis(300), Duration.ofMinutes(5), Duration.ofSeconds(5))) {
            ValidationReport hostile = judges.validate(FILE, "hostile.xml", OPTIONS);
            assertEquals(ValidationReport.REJECTED, hostile.verdict());
            assertEquals("LIMIT-TIME", hostile.firstError().rule());
            assertTrue(hostile.firstError().message().contains("secondes de calcul"), hostile.firstError().message());

            assertEquals(ValidationReport.ACCEPTED, judges.validate(FILE, "ordinaire.xml", OPTIONS).verdict());
            await().atMost(Duration.ofSeconds(30)).untilTrue(spinStopped); // the judge was interrupted
        }
    }

    @Test
    void aJudgeBlockedPastTheDeadlineFailsTheFileAndOneThatIgnoresInterruptionIsReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DeadlineValidator.Judge stuck = TestJudges.deafOnStuckFiles(release);
        try (DeadlineValidator judges = new DeadlineValidator("validation-judge", stuck, 2, Duration.ofMinutes(5), Duration.ofMillis(300),
                Duration.ofMillis(200))) {
            ValidationReport report = judges.validate(FILE, "stuck.xml", OPTIONS);
            assertEquals(ValidationReport.FAILED, report.processing());
            assertTrue(report.processingError().contains("wall clock"), report.processingError());
            assertTrue(report.transientFailure(), "not the file's fault: tried again later");
            assertEquals(ValidationReport.ACCEPTED, judges.validate(FILE, "ordinaire.xml", OPTIONS).verdict());

            await().atMost(Duration.ofSeconds(30)).until(() -> judges.runaways().contains("stuck.xml"));
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> judges.runaways().isEmpty());
        }
    }

    @Test
    void aRunawayKeepsItsSeatSoMemoryStaysBoundedAndTheQueueIsToldToComeBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DeadlineValidator.Judge stuck = TestJudges.deafOnStuckFiles(release);
        try (DeadlineValidator judges = new DeadlineValidator("validation-judge", stuck, 1, Duration.ofMinutes(5), Duration.ofMillis(300),
                Duration.ofMillis(100))) {
            assertEquals(ValidationReport.FAILED, judges.validate(FILE, "stuck.xml", OPTIONS).processing());
            assertThrows(DeadlineValidator.BusyException.class, () -> judges.validate(FILE, "suivant.xml", OPTIONS));
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> judges.runaways().isEmpty());
            assertEquals(ValidationReport.ACCEPTED, judges.validate(FILE, "suivant.xml", OPTIONS).verdict());
        }
    }

    @Test
    void anErrorEscapingTheValidatorIsAFailureNotACrash() throws Exception {
        try (DeadlineValidator judges = new DeadlineValidator("validation-judge", (file, name, options) -> {
            throw new StackOverflowError();
        }, 1, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(1))) {
            ValidationReport report = judges.validate(FILE, "profond.xml", OPTIONS);
            assertEquals(ValidationReport.FAILED, report.processing());
            assertTrue(report.processingError().startsWith("StackOverflowError"), report.processingError());
        }
    }
}
