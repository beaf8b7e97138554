package fr.passerelle.chorus;

import java.time.Duration;

/**
 * A call to Chorus Pro that did not do what was asked. Retryable: the platform was unreachable,
 * slow, overloaded (429, with its Retry-After) or failing (5xx); try again later. Otherwise an
 * answer: a refusal (401 account refused, 403 API not subscribed, 413 too large) or a business
 * error (HTTP 200 with a non-zero codeRetour; 20000 means "no result").
 */
public final class ChorusProException extends Exception {

    public static final int NO_RESULT = 20000;

    private final int httpStatus;
    private final Integer codeRetour;
    private final boolean retryable;
    private final Duration retryAfter;

    ChorusProException(String message, int httpStatus, Integer codeRetour, boolean retryable, Duration retryAfter,
                       Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.codeRetour = codeRetour;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The business return code when Chorus Pro answered one, else null. */
    public Integer codeRetour() {
        return codeRetour;
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the platform asked to wait (429 Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean noResult() {
        return codeRetour != null && codeRetour == NO_RESULT;
    }
}
