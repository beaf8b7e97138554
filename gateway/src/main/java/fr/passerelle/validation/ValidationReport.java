package fr.passerelle.validation;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one file. processing and verdict are separate facts: when processing failed
 * (the validator itself could not finish), there is no verdict at all, never "accepted".
 */
public record ValidationReport(
        String file,
        String processing,
        String processingError,
        String verdict,
        String format,
        String syntax,
        String profile,
        InvoiceSummary summary,
        List<Finding> findings,
        List<String> layersRun,
        List<String> notes,
        long durationMs,
        boolean transientFailure,
        Map<String, String> rules,
        List<Relaxation> relaxed) {

    /**
     * A rule the commune's policy reports as a warning: the rule found, the policy's entry that
     * relaxed it (an id or a prefix*), who decided it, for which commune, how many findings.
     */
    public record Relaxation(String rule, String policyRule, String by, String commune, int findings) {
    }

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String ACCEPTED_WITH_WARNINGS = "accepted-with-warnings";

    /** A file that could not be processed at all (missing, unreadable): no verdict. */
    public static ValidationReport failed(String file, String error) {
        return new ValidationReport(file, FAILED, error, null, null, null, null, null, List.of(), List.of(), List.of(), 0,
                false, Map.of(), List.of());
    }

    /** The same failure, marked as one that may pass on another attempt (I/O, memory). */
    public ValidationReport retryable() {
        return new ValidationReport(file, processing, processingError, verdict, format, syntax, profile, summary, findings,
                layersRun, notes, durationMs, true, rules, relaxed);
    }

    public boolean completed() {
        return COMPLETED.equals(processing);
    }

    public boolean accepted() {
        return completed() && !REJECTED.equals(verdict);
    }

    /** The first error, which names the reason of a rejection. */
    public Finding firstError() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst().orElse(null);
    }
}
