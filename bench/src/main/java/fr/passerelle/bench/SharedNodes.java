package fr.passerelle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How many gateway nodes one PostgreSQL and one Artemis carry: the per-invoice figures of
 * {@code bench treasury} (its "perInvoice" object) against the capacities measured here.
 */
final class SharedNodes {

    static final List<String> FIELDS = List.of("databaseStatements", "databaseRoundTrips", "databaseCommits",
            "brokerMessages", "brokerBytes", "brokerAcks", "reportBytes");
    /** What the node count needs; the other figures are shown when present. */
    static final List<String> REQUIRED = List.of("databaseRoundTrips", "databaseCommits", "brokerMessages");
    static final int GOAL_NODES = 10;

    static final String METHOD = "postgresNodes = min(roundTripsPerSecond / (N x databaseRoundTrips), "
            + "commitsPerSecond / (N x databaseCommits)); artemisNodes = messagesPerSecond / (N x brokerMessages); "
            + "nodesBeforeSharedPartsLimit = floor(min(postgresNodes, artemisNodes)); N = invoices a second per node; "
            + "a term whose per-invoice figure is 0 does not limit";

    /** The per-invoice figures, or (figures null) why there are none. */
    record PerInvoice(Map<String, Double> figures, String reason) {

        Double get(String field) {
            return figures == null ? null : figures.get(field);
        }

        /** The mean size of a stored validation report, when given. */
        Integer reportBytes() {
            Double bytes = get("reportBytes");
            return bytes == null || bytes <= 0 ? null : (int) Math.round(bytes);
        }

        /** Persistent bytes per durable message, when both figures are there. */
        Integer messageBytes() {
            Double bytes = get("brokerBytes");
            Double messages = get("brokerMessages");
            return bytes == null || messages == null || messages <= 0 || bytes <= 0 ? null
                    : (int) Math.max(1, Math.round(bytes / messages));
        }
    }

    private SharedNodes() {
    }

    static PerInvoice read(Path file, ObjectMapper json) {
        if (!Files.isRegularFile(file)) {
            return new PerInvoice(null, file + " not found: run `bench treasury` first (it writes the per-invoice "
                    + "figures there), or give --per-invoice FILE");
        }
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            return new PerInvoice(null, file + " is not readable JSON: " + e.getMessage());
        }
        JsonNode per = root == null ? null : root.get("perInvoice");
        if (per == null || !per.isObject()) {
            return new PerInvoice(null, file + " has no \"perInvoice\" object (written by a `bench treasury` that "
                    + "counts per invoice)");
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode v = per.get(field);
            if (v != null && v.isNumber() && v.asDouble() >= 0) {
                figures.put(field, v.asDouble());
            } else if (REQUIRED.contains(field)) {
                return new PerInvoice(null, file + ": perInvoice." + field + " is "
                        + (v == null ? "missing" : "not a number of at least 0: " + v));
            }
        }
        return new PerInvoice(figures, null);
    }

    /** The node counts at {@code perNode} invoices a second per node. */
    static Map<String, Object> nodes(PerInvoice per, int perNode, double roundTripsPerSecond, double commitsPerSecond,
                                     double messagesPerSecond) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invoicesPerSecondPerNode", perNode);
        out.put("method", METHOD);
        out.put("goalNodes", GOAL_NODES);
        Double byRoundTrips = per.figures() == null ? null : share(roundTripsPerSecond, perNode, per.get("databaseRoundTrips"));
        Double byCommits = per.figures() == null ? null : share(commitsPerSecond, perNode, per.get("databaseCommits"));
        Double artemis = per.figures() == null ? null : share(messagesPerSecond, perNode, per.get("brokerMessages"));
        Double postgres = min(byRoundTrips, byCommits);
        out.put("postgresNodesByRoundTrips", round(byRoundTrips, 2));
        out.put("postgresNodesByCommits", round(byCommits, 2));
        out.put("postgresNodes", round(postgres, 2));
        out.put("artemisNodes", round(artemis, 2));
        Double least = min(postgres, artemis);
        String reason = per.reason();
        if (reason == null && least == null) {
            reason = "the per-invoice figures ask nothing of PostgreSQL nor of Artemis";
        }
        out.put("nodesBeforeSharedPartsLimit", least == null ? null : (int) Math.floor(least));
        out.put("limitedBy", least == null ? null
                : least.equals(byRoundTrips) ? "postgresql round trips"
                : least.equals(byCommits) ? "postgresql commits" : "artemis messages");
        out.put("goalMet", least == null ? null : Math.floor(least) >= GOAL_NODES);
        out.put("reason", reason);
        return out;
    }

    /** Nodes a capacity carries when each node asks {@code perNode x perInvoice} of it; null when it asks nothing. */
    private static Double share(double capacity, int perNode, Double perInvoice) {
        return perInvoice == null || perInvoice <= 0 ? null : capacity / (perNode * perInvoice);
    }

    private static Double min(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Math.min(a, b);
    }

    static Double round(Double v, int digits) {
        return v == null ? null : round(v.doubleValue(), digits);
    }

    static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
