package fr.passerelle.signature;

/**
 * A flow that cannot be signed; the message is in French, for the commune (e.g. a Bordereau that
 * already carries an invalid signature, which we neither overwrite nor send).
 */
public class SigningException extends Exception {

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
