package fr.passerelle.treasury;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What operations must hear of on the treasury side: flows SENT and still not acknowledged after
 * the delay (48 h by default: the treasury lost them, or its answer was lost), and return files
 * quarantined, and endpoints that do not answer (a TCP connection tried at each refresh). They make
 * the treasury health DEGRADED, each with its reason (refreshed by the ops route, so a slow database
 * or a silent server never slows a scrape).
 */
public final class TreasuryWatch {

    private final TransmissionStore transmissions;
    private final Duration delay;
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final List<TreasuryEndpoint> endpoints;
    /** Endpoint name to why it did not answer at the last refresh; absent when it answered. */
    private volatile Map<String, String> unreachable = Map.of();

    public TreasuryWatch(TransmissionStore transmissions, Duration delay, MeterRegistry meters) {
        this(transmissions, delay, meters, List.of());
    }

    public TreasuryWatch(TransmissionStore transmissions, Duration delay, MeterRegistry meters,
                         Collection<TreasuryEndpoint> endpoints) {
        this.transmissions = transmissions;
        this.delay = delay;
        this.endpoints = List.copyOf(endpoints);
        Gauge.builder("passerelle_flows_unacknowledged", unacknowledged, AtomicLong::get)
                .description("Flows sent to the treasury and not acknowledged after the configured delay")
                .register(meters);
        Gauge.builder("passerelle_treasury_returns_quarantined", quarantined, AtomicLong::get)
                .description("Return files (acquittements, PES_Retour) that could not be read or matched")
                .register(meters);
    }

    /** The counts, then each endpoint probed (the ops timer route; up to 5 s per endpoint that does not answer). */
    public void refresh() {
        refreshCounts();
        Map<String, String> down = new LinkedHashMap<>();
        for (TreasuryEndpoint e : endpoints) {
            String why = probe(e);
            if (why != null) {
                down.put(e.name(), why);
            }
        }
        unreachable = Map.copyOf(down);
    }

    /** The unacknowledged and quarantined counts only: what start-up needs without waiting on the endpoints. */
    public void refreshCounts() {
        unacknowledged.set(transmissions.unacknowledgedCount(delay));
        quarantined.set(transmissions.quarantinedCount());
    }

    /** Why the endpoint does not take a TCP connection (within its connect timeout, 5 s at most), or null. */
    static String probe(TreasuryEndpoint e) {
        int timeout = (int) Math.min(e.connectTimeout().toMillis(), 5000);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(e.host(), e.port()), timeout);
            return null;
        } catch (UnknownHostException x) {
            return "hôte inconnu";
        } catch (ConnectException x) {
            return "connexion refusée";
        } catch (SocketTimeoutException x) {
            return "pas de réponse en " + timeout + " ms";
        } catch (IOException | IllegalArgumentException x) {
            return x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
        }
    }

    /**
     * Each reason for DEGRADED, one line each, in French for operators: which endpoint does not
     * answer and why, flows without acquittement, quarantined returns.
     */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        for (TreasuryEndpoint e : endpoints) {
            String why = unreachable.get(e.name());
            if (why != null) {
                reasons.add("point de dépôt « " + e.name() + " » (" + e.protocol().name().toLowerCase(java.util.Locale.ROOT)
                        + " " + e.host() + ":" + e.port() + ") injoignable : " + why);
            }
        }
        if (unacknowledged.get() > 0) {
            reasons.add(unacknowledged.get() + " flux transmis sans acquittement depuis plus de " + human(delay)
                    + " : GET /api/v1/treasury/unacknowledged");
        }
        if (quarantined.get() > 0) {
            reasons.add(quarantined.get() + " fichier(s) retour en quarantaine (data/quarantine/treasury/)");
        }
        return reasons;
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

    /** DEGRADED while an endpoint does not answer, a flow waits too long for its acquittement or a return file is quarantined. */
    public boolean degraded() {
        return unacknowledged.get() > 0 || quarantined.get() > 0 || !unreachable.isEmpty();
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
        return String.join(" ; ", reasons());
    }
}
