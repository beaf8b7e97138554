package fr.passerelle.signature;

/**
 * A flow carries a signature that does not verify: it is neither overwritten nor sent, the commune
 * must correct and sign the flow again. The message, in French, says which signature and why.
 */
public class InvalidExistingSignatureException extends SigningException {

    private final transient SignatureCheck check;

    public InvalidExistingSignatureException(String message, SignatureCheck check) {
        super(message);
        this.check = check;
    }

    /** The verifier's facts on the invalid signature. */
    public SignatureCheck check() {
        return check;
    }
}
