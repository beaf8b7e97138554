package fr.passerelle.treasury;

import fr.passerelle.document.Rejection;

/**
 * A file from Hélios that cannot be read as the acquittement or PES_Retour it should be. The
 * message is French, for the accountant, and never carries a parser's stack or class names: the
 * parser's own words, when there are any, are kept apart in {@link #detail()} for the logs.
 */
public final class ReturnFileException extends Exception {

    /** Not well-formed XML, empty, or not in its declared encoding. */
    public static final String UNREADABLE = "RETOUR-ILLISIBLE";
    /** A DOCTYPE (DTD) is present: refused outright, which also shuts out XXE and entity bombs. */
    public static final String DOCTYPE = "RETOUR-DOCTYPE";
    /** Well-formed XML, but not a PES_ACQUIT / PES_Retour (root element or namespace). */
    public static final String ROOT = "RETOUR-RACINE";
    /** No Enveloppe/Parametres/NomFic: the return cannot be matched with the flow it answers. */
    public static final String NOMFIC_MISSING = "RETOUR-NOMFIC-ABSENT";

    private final String ruleId;
    private final String location;
    private final String detail;

    ReturnFileException(String ruleId, String message, String location, String detail, Throwable cause) {
        super(message, cause);
        this.ruleId = ruleId;
        this.location = location;
        this.detail = detail;
    }

    /** Stable rule id, e.g. {@code RETOUR-RACINE}. */
    public String ruleId() {
        return ruleId;
    }

    /** "ligne 3, colonne 7" when the parser knew where, else null. */
    public String location() {
        return location;
    }

    /** The parser's message (English, technical), or null. */
    public String detail() {
        return detail;
    }

    /** As the project's refusal record (layer "retour"). */
    public Rejection rejection() {
        return new Rejection("retour", ruleId, location, getMessage());
    }
}
