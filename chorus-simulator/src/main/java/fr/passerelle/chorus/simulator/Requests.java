package fr.passerelle.chorus.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the fields of a JSON request; a field present but unreadable is a {@link BadRequest} (HTTP 400). */
final class Requests {

    /** A request the simulator cannot read: answered 400. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private Requests() {
    }

    /** The invoice's id: {@code idFacture}, or {@code identifiantFactureCPP} as some services name it. */
    static long idFacture(JsonNode node) {
        Long id = optionalLong(node, "idFacture");
        if (id == null) {
            id = optionalLong(node, "identifiantFactureCPP");
        }
        if (id == null) {
            throw new BadRequest("idFacture manquant");
        }
        return id;
    }

    static boolean hasIdFacture(JsonNode node) {
        return node.hasNonNull("idFacture") || node.hasNonNull("identifiantFactureCPP");
    }

    static Long optionalLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isBlank()) {
            return null;
        }
        if (v.canConvertToExactIntegral() || v.isIntegralNumber()) {
            return v.asLong();
        }
        try {
            return Long.parseLong(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(field + " n'est pas un nombre entier : " + v);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static int positiveInt(JsonNode node, String field, int byDefault) {
        Long v = optionalLong(node, field);
        return v == null || v <= 0 ? byDefault : (int) Math.min(v, Integer.MAX_VALUE);
    }

    /**
     * An instant given as an ISO-8601 date-time with an offset ("2024-05-02T10:15:30.123+02:00", "…Z"), a local
     * date-time or a date (both in Paris time); null when absent.
     */
    static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(s).atZone(ChorusProSimulator.PARIS).toInstant();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ChorusProSimulator.PARIS).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new BadRequest(field + " n'est pas une date ISO-8601 : " + s);
                }
            }
        }
    }

    /** A string or an array of strings, as a set; null when absent. */
    static Set<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        if (v.isArray()) {
            v.forEach(e -> values.add(e.asText()));
        } else {
            values.add(v.asText());
        }
        return values;
    }

    static Boolean optionalBoolean(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asBoolean();
    }
}
