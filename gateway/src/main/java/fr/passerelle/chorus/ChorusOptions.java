package fr.passerelle.chorus;

import java.net.URI;
import java.time.Duration;

import fr.passerelle.settings.Settings;

/**
 * The Chorus Pro exchange's settings ({@code passerelle.chorus.*}): the PISTE token endpoint and the
 * API's base, the platform's PISTE client (its secret from PASSERELLE_CHORUS_CLIENT__SECRET in
 * production), how often each commune's received invoices are asked for and how far back a search
 * reaches again (overlap, for invoices whose state changed while the last search ran), the page
 * size, the first search's reach, how often statuses are pushed, and the back-off of both.
 */
public record ChorusOptions(boolean enabled, URI tokenUri, URI apiUri, String clientId, String clientSecret,
                            Duration pollDelay, Duration overlap, Duration firstReach, int pageSize,
                            Duration pushDelay, Duration retryDelay, Duration maxRetryDelay, Duration timeout,
                            String downloadFormat) {

    public static ChorusOptions from(Settings s) {
        String api = s.get("passerelle.chorus.api-uri", "http://127.0.0.1:8095/cpro/");
        return new ChorusOptions(s.getBoolean("passerelle.chorus.enabled"),
                URI.create(s.get("passerelle.chorus.token-uri", "http://127.0.0.1:8095/api/oauth/token")),
                URI.create(api.endsWith("/") ? api : api + "/"),
                s.get("passerelle.chorus.client-id", ""), s.get("passerelle.chorus.client-secret", ""),
                Duration.ofMillis(s.getLong("passerelle.chorus.poll-delay")), s.getDuration("passerelle.chorus.overlap"),
                s.getDuration("passerelle.chorus.first-reach"), s.getInt("passerelle.chorus.page-size"),
                Duration.ofMillis(s.getLong("passerelle.chorus.push-delay")), s.getDuration("passerelle.chorus.retry-delay"),
                s.getDuration("passerelle.chorus.max-retry-delay"), s.getDuration("passerelle.chorus.timeout"),
                s.get("passerelle.chorus.download-format", "PDF"));
    }

    /** The wait before attempt n+1 after n failures: doubled each time, within the maximum. */
    public Duration backOff(int failures) {
        long millis = retryDelay.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxRetryDelay.toMillis()));
    }

    @Override
    public String toString() {
        return "ChorusOptions[enabled=" + enabled + ", tokenUri=" + tokenUri + ", apiUri=" + apiUri + ", clientId="
                + clientId + ", pollDelay=" + pollDelay + ", pageSize=" + pageSize + "]";
    }
}
