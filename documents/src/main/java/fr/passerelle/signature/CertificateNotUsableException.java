package fr.passerelle.signature;

import java.time.Instant;

/**
 * The signing certificate is not valid at the signing time (expired or not yet valid): nothing is
 * signed, and the caller holds the flow (BLOCKED) until the commune's certificate is renewed.
 * The reason is in French, for the commune; the validity window is kept for the operators.
 */
public class CertificateNotUsableException extends SigningException {

    private final String subject;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Instant signingTime;

    public CertificateNotUsableException(String reason, String subject, Instant notBefore, Instant notAfter,
                                         Instant signingTime) {
        super(reason);
        this.subject = subject;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.signingTime = signingTime;
    }

    public String reason() {
        return getMessage();
    }

    public String subject() {
        return subject;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    public Instant signingTime() {
        return signingTime;
    }

    /** True when the certificate expired (rather than not valid yet). */
    public boolean expired() {
        return signingTime.isAfter(notAfter);
    }
}
