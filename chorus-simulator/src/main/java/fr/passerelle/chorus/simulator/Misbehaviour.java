package fr.passerelle.chorus.simulator;

/**
 * How the next API calls go wrong ({@link ChorusProSimulator#misbehave}), for tests of the gateway's resilience.
 * Token calls never misbehave; a queued mode is used up by the next {@code /cpro/} call it applies to.
 */
public enum Misbehaviour {
    /** 401, as if the bearer token had expired; the token presented is revoked, a new one must be asked for. */
    EXPIRED_TOKEN,
    /** 429 with {@code Retry-After: 1}. */
    RATE_LIMITED,
    /** HTTP 200 carrying {@code codeRetour 50000}: a business error in a successful HTTP answer. */
    BUSINESS_ERROR,
    /** 413 on {@code factures/v1/telecharger/groupe} only; waits in the queue, other paths answer normally meanwhile. */
    TOO_LARGE,
    /** The answer comes after 2 s, then normally. */
    SLOW,
    /** 503. */
    SERVER_ERROR
}
