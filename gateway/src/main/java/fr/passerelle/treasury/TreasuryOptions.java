package fr.passerelle.treasury;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.TransmissionRules;

/**
 * The treasury exchange's settings, read in one place ({@code passerelle.treasury.*}): the endpoints,
 * transmission windows and quota, attempts and back-off, leases, how often return folders are
 * looked at (poll-delay, milliseconds), and this node's name.
 *
 * @param endpoints by name, each from {@code passerelle.treasury.endpoint.<name>.*}, in the declared order
 */
public record TreasuryOptions(Map<String, TreasuryEndpoint> endpoints, ZoneId zone, List<String> windows,
                              int maxFlowsPerHour, int maxAttempts, long retryDelayMs, double retryMultiplier,
                              long maxRetryDelayMs, Duration claimLease, Duration unacknowledgedAfter, long pollDelayMs,
                              String nodeName) {

    public static TreasuryOptions from(Settings s) {
        return new TreasuryOptions(endpoints(s), ZoneId.of(s.get("passerelle.treasury.zone")),
                List.of(s.get("passerelle.treasury.windows", "").split(",")),
                s.getInt("passerelle.treasury.max-flows-per-hour"), s.getInt("passerelle.treasury.max-attempts"),
                s.getLong("passerelle.treasury.retry-delay-ms"),
                Double.parseDouble(s.get("passerelle.treasury.retry-multiplier")),
                s.getLong("passerelle.treasury.max-retry-delay-ms"), s.getDuration("passerelle.treasury.claim-lease"),
                s.getDuration("passerelle.treasury.unacknowledged-after"), s.getLong("passerelle.treasury.poll-delay"),
                nodeName(s.get("passerelle.node.name", ""), s.dataDir()));
    }

    /** The back-off of the treasury queues, which the broker applies between two delivery attempts. */
    public EmbeddedBroker.Redelivery redelivery() {
        return new EmbeddedBroker.Redelivery(maxAttempts, retryDelayMs, retryMultiplier, maxRetryDelayMs);
    }

    /** The windows and the hourly quota of passerelle.treasury.windows and max-flows-per-hour. */
    public TransmissionRules rules() {
        return TransmissionRules.parse(windows, maxFlowsPerHour);
    }

    private static Map<String, TreasuryEndpoint> endpoints(Settings s) {
        Map<String, TreasuryEndpoint> endpoints = new LinkedHashMap<>();
        for (String name : s.get("passerelle.treasury.endpoints", "").split(",")) {
            name = name.trim();
            if (name.isEmpty()) {
                continue;
            }
            String p = "passerelle.treasury.endpoint." + name + ".";
            endpoints.put(name, new TreasuryEndpoint(name,
                    TreasuryEndpoint.Protocol.valueOf(s.get(p + "protocol").toUpperCase(Locale.ROOT)),
                    s.get(p + "host"), s.getInt(p + "port"), s.get(p + "user"), s.get(p + "password", ""),
                    s.get(p + "upload-dir"), s.get(p + "response-dir"), s.get(p + "p-dest", ""),
                    s.getDuration(p + "connect-timeout"), s.getDuration(p + "read-timeout")));
        }
        return java.util.Collections.unmodifiableMap(endpoints);
    }

    /**
     * passerelle.node.name, else the host and the data folder: the same name after a restart on the
     * same data folder, so a restarted node resumes its own claims.
     */
    static String nodeName(String configured, Path data) {
        if (!configured.isEmpty()) {
            return configured.length() <= 80 ? configured : configured.substring(0, 80);
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        String name = host + ":" + data.toAbsolutePath().normalize();
        return name.length() <= 80 ? name : name.substring(name.length() - 80);
    }
}
