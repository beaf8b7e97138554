package fr.passerelle.validation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Judges for the tests of the validation stage's threads: a verdict at once, or a judge that will not stop. */
final class TestJudges {

    private TestJudges() {
    }

    /** An accepted UBL invoice of that name. */
    static ValidationReport accepted(String name) {
        return new ValidationReport(name, ValidationReport.COMPLETED, null, ValidationReport.ACCEPTED, "UBL_INVOICE",
                null, null, null, List.of(), List.of(), List.of(), 1, false, Map.of(), List.of());
    }

    /**
     * Accepts every file, but holds its judge on a file whose name starts with "stuck" until released,
     * deaf to interruption (like native or uninterruptible I/O): a runaway.
     */
    static DeadlineValidator.Judge deafOnStuckFiles(CountDownLatch release) {
        return (file, name, options) -> {
            boolean released = !name.startsWith("stuck");
            while (!released) {
                try {
                    released = release.await(1, TimeUnit.DAYS);
                } catch (InterruptedException ignored) {
                    // keeps waiting
                }
            }
            return accepted(name);
        };
    }
}
