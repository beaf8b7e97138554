package fr.passerelle.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * How our checks explain themselves: a {@code state} detail (UP, DEGRADED or DOWN: Camel's own
 * state knows only UP and DOWN, and DEGRADED stays UP for an orchestrator) and, unless UP, a
 * {@code reason} detail with one line per cause, in French for operators; the message says the
 * same on one line. {@code /observe/health?exposureLevel=full} and {@code GET /api/v1/ops/status}
 * show both.
 */
final class HealthReasons {

    private HealthReasons() {
    }

    /** DEGRADED when there are reasons (Camel's state UP), UP otherwise. */
    static void degradedIf(HealthCheckResultBuilder builder, List<String> reasons) {
        report(builder, reasons, "DEGRADED");
    }

    /** DOWN when there are reasons, UP otherwise. */
    static void downIf(HealthCheckResultBuilder builder, List<String> reasons) {
        report(builder, reasons, "DOWN");
    }

    private static void report(HealthCheckResultBuilder builder, List<String> reasons, String state) {
        if (reasons.isEmpty()) {
            builder.detail("state", "UP").up();
            return;
        }
        builder.detail("state", state);
        builder.detail("reason", String.join("\n", reasons));
        builder.message(state + ": " + String.join(" ; ", reasons));
        if (state.equals("DOWN")) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
