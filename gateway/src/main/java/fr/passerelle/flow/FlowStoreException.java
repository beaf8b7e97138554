package fr.passerelle.flow;

/** The flow database failed: the caller's transaction (queue message, HTTP request) must fail too. */
public class FlowStoreException extends RuntimeException {
    public FlowStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
