package fr.passerelle.signature;

import java.time.Duration;
import java.time.Instant;

/** Keys the tests make themselves: RSA generation costs ~0.1 s, so the usual one is shared. */
final class TestKeys {

    private static SigningKey valid;

    private TestKeys() {
    }

    /** Valid from a day ago for a year. */
    static synchronized SigningKey valid() {
        if (valid == null) {
            valid = DemoKeys.selfSigned("Commune de Testeval", Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(365)));
        }
        return valid;
    }

    /** Expired: valid for a year, ended ten days ago. */
    static SigningKey expired() {
        Instant end = Instant.now().minus(Duration.ofDays(10));
        return DemoKeys.selfSigned("Commune Expirée", end.minus(Duration.ofDays(365)), end);
    }

    static SigningKey between(Instant notBefore, Instant notAfter) {
        return DemoKeys.selfSigned("Commune de Testeval", notBefore, notAfter);
    }
}
