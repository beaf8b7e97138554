package fr.passerelle.signature;

/** A file that cannot be read as a PES document (unreadable, not XML, a DOCTYPE, duplicate Ids). */
public class PesDocumentException extends RuntimeException {

    public PesDocumentException(String message) {
        super(message);
    }

    public PesDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
