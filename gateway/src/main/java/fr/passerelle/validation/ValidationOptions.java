package fr.passerelle.validation;

import java.time.Duration;

import fr.passerelle.settings.Settings;

/**
 * The validation's settings, read in one place ({@code passerelle.validation.*}).
 *
 * @param consumers the stage's concurrent consumers; with {@code apiSlots} (the API's validate-only calls) the judges' seats
 */
public record ValidationOptions(long maxXmlSize, boolean pdfa, long largeInvoice, int consumers, int apiSlots,
                                Duration cpuBudget, Duration deadline, Duration maxWait) {

    public static ValidationOptions from(Settings s) {
        return new ValidationOptions(s.getSize("passerelle.validation.max-xml-size"),
                s.getBoolean("passerelle.validation.pdfa"), s.getSize("passerelle.validation.large-invoice"),
                s.getInt("passerelle.validation.consumers"), s.getInt("passerelle.validation.api-slots"),
                s.getDuration("passerelle.validation.cpu-budget"), s.getDuration("passerelle.validation.deadline"),
                s.getDuration("passerelle.validation.max-wait"));
    }

    /** One judge per seat: every stage consumer and every API slot validates at once without waiting. */
    public int judges() {
        return consumers + apiSlots;
    }
}
