package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.chorus.ChorusLedger;

/**
 * The Chorus Pro sync as health sees it: each commune's last poll and watermark in the details;
 * a commune whose polls have failed for longer than passerelle.chorus.degraded-after (Chorus Pro
 * unreachable, account refused, quota), or an invoice
 * Chorus Pro would not hand over (too large), makes the check DEGRADED with the reason, never DOWN:
 * the other channels go on.
 */
public final class ChorusHealthCheck extends AbstractHealthCheck {

    public static final String ID = "chorus-pro";
    private final ChorusLedger ledger;
    private final java.time.Duration degradedAfter;
    private final java.time.Clock clock;

    /** degradedAfter: how long a commune's sync may fail (its watermark not moving) before health says so. */
    public ChorusHealthCheck(ChorusLedger ledger, java.time.Duration degradedAfter, java.time.Clock clock) {
        super("passerelle", ID);
        this.ledger = ledger;
        this.degradedAfter = degradedAfter;
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> reasons = new ArrayList<>();
        for (ChorusLedger.Watermark w : ledger.watermarks()) {
            long lag = java.time.Duration.between(w.since().toInstant(), clock.instant()).toSeconds();
            builder.detail(w.communeId() + ".lastPoll", String.valueOf(w.lastPollAt()));
            builder.detail(w.communeId() + ".lagSeconds", lag);
            if (w.lastError() != null) {
                builder.detail(w.communeId() + ".lastError", w.lastError());
            }
            if (w.lastError() != null && lag > degradedAfter.toSeconds()) {
                reasons.add("Chorus Pro poll of " + w.communeId() + " failing, in sync up to " + w.since()
                        + " (last try " + w.lastPollAt() + "): " + w.lastError());
            }
        }
        for (ChorusLedger.PullFailure f : ledger.pullFailures()) {
            reasons.add("Chorus Pro invoice " + f.idFacture() + " (n° " + f.numeroFacture() + ") of " + f.communeId()
                    + " could not be downloaded (" + f.error() + "): deal with it on the Chorus Pro portal");
        }
        HealthReasons.degradedIf(builder, reasons);
    }
}
