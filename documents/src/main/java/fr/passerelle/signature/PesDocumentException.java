package fr.passerelle.signature;

/** A file that cannot be read as a PES document (unreadable, not XML, a DOCTYPE, duplicate Ids, beyond a limit). */
public class PesDocumentException extends RuntimeException {

    private final String rule;

    public PesDocumentException(String message) {
        super(message);
        this.rule = null;
    }

    public PesDocumentException(String message, Throwable cause) {
        super(message, cause);
        this.rule = null;
    }

    /** Refused by a named rule (LIMIT-XML-DEPTH…), said in the message too. */
    public PesDocumentException(String message, String rule) {
        super(message);
        this.rule = rule;
    }

    /** The rule that refused the document, or null. */
    public String rule() {
        return rule;
    }
}
