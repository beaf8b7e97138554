package fr.passerelle.validation;

import java.time.Duration;

import fr.passerelle.settings.Settings;

/**
 * The validation's settings, read in one place ({@code passerelle.validation.*}).
 *
 * @param consumers the stage's concurrent queue consumers: more than the cores, so that while one
 *                  waits on its commits (database, broker) another one's invoice is being judged
 * @param judges    the stage's validations that run at once, each on a judge thread; fewer than the
 *                  consumers bounds their memory, and a consumer then waits for a free judge
 * @param apiSlots  the validations the API and the console may run beside the stage's, on judges of their own
 */
public record ValidationOptions(long maxXmlSize, boolean pdfa, long largeInvoice, int consumers, int judges,
                                int apiSlots, Duration cpuBudget, Duration deadline, Duration maxWait) {

    public ValidationOptions {
        if (consumers < 1 || judges < 1 || apiSlots < 1) {
            throw new IllegalArgumentException("passerelle.validation.consumers, .judges and .api-slots must each "
                    + "be at least 1 (are " + consumers + ", " + judges + ", " + apiSlots + ")");
        }
    }

    public static ValidationOptions from(Settings s) {
        return new ValidationOptions(s.getSize("passerelle.validation.max-xml-size"),
                s.getBoolean("passerelle.validation.pdfa"), s.getSize("passerelle.validation.large-invoice"),
                s.getInt("passerelle.validation.consumers"), s.getInt("passerelle.validation.judges"),
                s.getInt("passerelle.validation.api-slots"), s.getDuration("passerelle.validation.cpu-budget"),
                s.getDuration("passerelle.validation.deadline"), s.getDuration("passerelle.validation.max-wait"));
    }

    /** The validations in memory at once, the stage's and the API's: what bounds the heap validation needs. */
    public int inMemory() {
        return judges + apiSlots;
    }
}
