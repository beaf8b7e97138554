package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.chorus.ChorusLedger;

/**
 * The Chorus Pro sync as health sees it: each commune's last poll and watermark in the details;
 * a commune whose last poll failed (Chorus Pro unreachable, account refused, quota), or an invoice
 * Chorus Pro would not hand over (too large), makes the check DEGRADED with the reason, never DOWN:
 * the other channels go on.
 */
public final class ChorusHealthCheck extends AbstractHealthCheck {

    public static final String ID = "chorus-pro";
    private final ChorusLedger ledger;

    public ChorusHealthCheck(ChorusLedger ledger) {
        super("passerelle", ID);
        this.ledger = ledger;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> reasons = new ArrayList<>();
        for (ChorusLedger.Watermark w : ledger.watermarks()) {
            builder.detail(w.communeId() + ".lastPoll", String.valueOf(w.lastPollAt()));
            builder.detail(w.communeId() + ".since", String.valueOf(w.since()));
            if (w.lastError() != null) {
                reasons.add("Chorus Pro poll of " + w.communeId() + " failed at " + w.lastPollAt() + ": " + w.lastError());
            }
        }
        for (ChorusLedger.PullFailure f : ledger.pullFailures()) {
            reasons.add("Chorus Pro invoice " + f.idFacture() + " (n° " + f.numeroFacture() + ") of " + f.communeId()
                    + " could not be downloaded (" + f.error() + "): deal with it on the Chorus Pro portal");
        }
        HealthReasons.degradedIf(builder, reasons);
    }
}
