package fr.passerelle.ops;

import fr.passerelle.settings.Settings;

/** Health's own settings, read in one place: the free space the data folder needs ({@code passerelle.health.min-free-disk}). */
public record HealthOptions(long minFreeDisk) {

    public static HealthOptions from(Settings s) {
        return new HealthOptions(s.getSize("passerelle.health.min-free-disk"));
    }
}
