package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.passerelle.tenant.TransmissionRules;

class TransmissionPolicyTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final List<Instant> sent = new ArrayList<>();

    private TransmissionPolicy at(String instant) {
        return new TransmissionPolicy(Clock.fixed(Instant.parse(instant), PARIS), PARIS, TransmissionRules.ANY_TIME,
                (commune, since) -> sent.stream().filter(t -> !t.isBefore(since)).toList());
    }

    @Test
    void noRulesMeansAnyTime() {
        assertThat(at("2026-12-05T03:00:00Z").notBefore("c", null)).isEmpty();
    }

    @Test
    void insideAWindowGoesNow() {
        TransmissionRules rules = TransmissionRules.parse(List.of("Mon-Fri 08:00-18:00"), 0);
        // Tuesday 1 December 2026, 10:00 in Paris (UTC+1)
        assertThat(at("2026-12-01T09:00:00Z").notBefore("c", rules)).isEmpty();
    }

    @Test
    void outsideAWindowWaitsForTheNextOpening() {
        TransmissionRules rules = TransmissionRules.parse(List.of("Mon-Fri 08:00-18:00"), 0);
        // Friday 4 December 2026 at 19:00 Paris → Monday 7 December 08:00 Paris
        assertThat(at("2026-12-04T18:00:00Z").notBefore("c", rules).map(TransmissionPolicy.Wait::until)).contains(Instant.parse("2026-12-07T07:00:00Z"));
        // before opening the same day
        assertThat(at("2026-12-01T05:00:00Z").notBefore("c", rules).map(TransmissionPolicy.Wait::until)).contains(Instant.parse("2026-12-01T07:00:00Z"));
    }

    @Test
    void overnightWindowsSpanMidnight() {
        TransmissionRules rules = TransmissionRules.parse(List.of("22:00-06:00"), 0);
        assertThat(at("2026-12-01T02:00:00Z").notBefore("c", rules)).isEmpty(); // 03:00 Paris
        assertThat(at("2026-12-01T22:30:00Z").notBefore("c", rules)).isEmpty(); // 23:30 Paris
        assertThat(at("2026-12-01T12:00:00Z").notBefore("c", rules).map(TransmissionPolicy.Wait::until)).contains(Instant.parse("2026-12-01T21:00:00Z"));
    }

    @Test
    void theHourlyQuotaWaitsUntilTheOldestLeavesTheHour() {
        TransmissionRules rules = TransmissionRules.parse(List.of(), 2);
        sent.add(Instant.parse("2026-12-01T09:10:00Z"));
        assertThat(at("2026-12-01T09:30:00Z").notBefore("c", rules)).isEmpty();
        sent.add(Instant.parse("2026-12-01T09:20:00Z"));
        assertThat(at("2026-12-01T09:30:00Z").notBefore("c", rules).map(TransmissionPolicy.Wait::until)).contains(Instant.parse("2026-12-01T10:10:00Z"));
        assertThat(at("2026-12-01T10:15:00Z").notBefore("c", rules)).isEmpty();
    }

    @Test
    void badWindowsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TransmissionRules.parse(List.of("Lun-Ven 08:00-18:00"), 0))
                .hasMessageContaining("day 'Lun'");
        assertThatThrownBy(() -> TransmissionRules.parse(List.of("Mon 8h-18h"), 0)).hasMessageContaining("HH:mm");
        assertThatThrownBy(() -> TransmissionRules.parse(List.of("Mon 08:00-08:00"), 0)).hasMessageContaining("empty");
    }
}
