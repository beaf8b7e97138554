package fr.passerelle.validation;

import java.util.Locale;

/**
 * Factur-X / ZUGFeRD 2.x profiles, from the invoice's GuidelineSpecifiedDocumentContextParameter,
 * with the name of their schema and Schematron folder in the Factur-X artefacts (ZF_250).
 */
public enum FacturXProfile {
    MINIMUM("MINIMUM", "MINIMUM", false),
    BASIC_WL("BASIC WL", "BASIC-WL", false),
    BASIC("BASIC", "BASIC", true),
    EN16931("EN16931", "EN16931", true),
    EXTENDED("EXTENDED", "EXTENDED", true),
    XRECHNUNG("XRECHNUNG", "EN16931", true);

    private final String label;
    private final String artefact;
    private final boolean fullInvoice;

    FacturXProfile(String label, String artefact, boolean fullInvoice) {
        this.label = label;
        this.artefact = artefact;
        this.fullInvoice = fullInvoice;
    }

    public String label() {
        return label;
    }

    /** The folder / file suffix of this profile's XSD and Schematron in the Factur-X 1.0.7 (ZF_250) set. */
    public String artefact() {
        return artefact;
    }

    /** MINIMUM and BASIC WL carry no invoice lines: they are not full invoices under EN 16931. */
    public boolean isFullInvoice() {
        return fullInvoice;
    }

    /** The profile a guideline id names, or null when it is none of Factur-X's. */
    public static FacturXProfile fromGuideline(String guideline) {
        if (guideline == null) {
            return null;
        }
        String g = guideline.trim().toLowerCase(Locale.ROOT);
        if (g.contains("xrechnung")) {
            return XRECHNUNG;
        }
        if (g.contains("minimum")) {
            return MINIMUM;
        }
        if (g.contains("basicwl")) {
            return BASIC_WL;
        }
        if (g.contains("extended")) {
            return EXTENDED;
        }
        if (g.contains(":basic")) {
            return BASIC;
        }
        if (g.startsWith("urn:cen.eu:en16931:2017")) {
            return EN16931;
        }
        return null;
    }

    /** The profile an XMP fx:ConformanceLevel names (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG). */
    public static FacturXProfile fromConformanceLevel(String level) {
        if (level == null) {
            return null;
        }
        String l = level.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace("-", "").replace("_", "");
        return switch (l) {
            case "MINIMUM" -> MINIMUM;
            case "BASICWL" -> BASIC_WL;
            case "BASIC" -> BASIC;
            case "EN16931", "COMFORT" -> EN16931;
            case "EXTENDED" -> EXTENDED;
            case "XRECHNUNG" -> XRECHNUNG;
            default -> null;
        };
    }
}
