package fr.passerelle.treasury;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What operations must hear of on the treasury side: flows SENT and still not acknowledged after
 * the delay (48 h by default: the treasury lost them, or its answer was lost), and return files
 * quarantined. Both are metrics, and make the treasury health DEGRADED (refreshed by the ops route,
 * so a slow database never slows a scrape).
 */
public final class TreasuryWatch {

    private final TransmissionStore transmissions;
    private final Duration delay;
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();

    public TreasuryWatch(TransmissionStore transmissions, Duration delay, MeterRegistry meters) {
        this.transmissions = transmissions;
        this.delay = delay;
        Gauge.builder("passerelle_flows_unacknowledged", unacknowledged, AtomicLong::get)
                .description("Flows sent to the treasury and not acknowledged after the configured delay")
                .register(meters);
        Gauge.builder("passerelle_treasury_returns_quarantined", quarantined, AtomicLong::get)
                .description("Return files (acquittements, PES_Retour) that could not be read or matched")
                .register(meters);
    }

    public void refresh() {
        unacknowledged.set(transmissions.unacknowledged(delay).size());
        quarantined.set(transmissions.quarantinedCount());
    }

    public List<TransmissionStore.Transmission> unacknowledged() {
        return transmissions.unacknowledged(delay);
    }

    public Duration delay() {
        return delay;
    }

    public long unacknowledgedCount() {
        return unacknowledged.get();
    }

    public long quarantinedCount() {
        return quarantined.get();
    }

    /** DEGRADED while a flow waits too long for its acquittement or a return file is quarantined. */
    public boolean degraded() {
        return unacknowledged.get() > 0 || quarantined.get() > 0;
    }

    private static String human(Duration d) {
        if (d.toHours() > 0 && d.toMinutesPart() == 0) {
            return d.toHours() + " h";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    public String summary() {
        if (!degraded()) {
            return "OK";
        }
        return unacknowledged.get() + " flux transmis sans acquittement depuis plus de " + human(delay) + ", "
                + quarantined.get() + " fichier(s) retour en quarantaine";
    }
}
