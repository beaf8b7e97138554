package fr.passerelle.api;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import org.apache.camel.Message;

/** The query parameters of the API (Camel puts them in headers): a bad value is a 400, never a 500. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** A yes-or-no query parameter (?stalled=true). */
    enum Flag { TRUE, FALSE }

    /** The constant named by ?name= (any case), null when absent. */
    static <E extends Enum<E>> E enumParam(Message in, String name, Class<E> type) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad-parameter", "Valeur inconnue pour '" + name + "' : " + value
                    + ". Valeurs possibles : " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A day (its start, or with endOfDay the next day's start) or an ISO 8601 timestamp; null when absent. */
    static OffsetDateTime dateParam(Message in, String name, boolean endOfDay) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "bad-parameter", "Date illisible pour '" + name + "' : " + value
                    + " (attendu AAAA-MM-JJ ou un horodatage ISO 8601).");
        }
    }

    static int intParam(Message in, String name, int fallback) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad-parameter", "Nombre attendu pour '" + name + "' : " + value);
        }
    }
}
