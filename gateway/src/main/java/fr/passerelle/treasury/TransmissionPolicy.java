package fr.passerelle.treasury;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import fr.passerelle.tenant.TransmissionRules;

/**
 * Whether a commune's flow may leave now: inside one of its transmission windows (local time) and
 * under its hourly quota, counted on the database so that every node sees the same count. When
 * not, the instant it may: the next window's opening, or when the oldest transmission of the last
 * hour leaves the count.
 */
public final class TransmissionPolicy {

    private static final Duration HOUR = Duration.ofHours(1);

    private final Clock clock;
    private final ZoneId zone;
    private final TransmissionRules defaults;
    /** (commune, since) → the instants its flows were sent since then, oldest first */
    private final BiFunction<String, Instant, List<Instant>> sentSince;

    public TransmissionPolicy(Clock clock, ZoneId zone, TransmissionRules defaults,
                              BiFunction<String, Instant, List<Instant>> sentSince) {
        this.clock = clock;
        this.zone = zone;
        this.defaults = defaults;
        this.sentSince = sentSince;
    }

    /** Why a flow waits, and until when. */
    public record Wait(Instant until, String reason) {
    }

    /** Empty: now is fine. Otherwise the earliest instant worth trying again, and why. */
    public Optional<Wait> notBefore(String communeId, TransmissionRules own) {
        TransmissionRules rules = own == null ? defaults : own;
        Instant now = clock.instant();
        Optional<Instant> window = nextWindowStart(rules.windows(), now);
        if (window.isPresent()) {
            return Optional.of(new Wait(window.get(), "hors des fenêtres de transmission de la commune"));
        }
        if (rules.maxFlowsPerHour() > 0) {
            List<Instant> lastHour = sentSince.apply(communeId, now.minus(HOUR));
            if (lastHour.size() >= rules.maxFlowsPerHour()) {
                // the quota frees up when enough of the last hour's transmissions are an hour old
                Instant freed = lastHour.get(lastHour.size() - rules.maxFlowsPerHour()).plus(HOUR);
                return Optional.of(new Wait(freed.isAfter(now) ? freed : now.plusSeconds(1),
                        "quota de " + rules.maxFlowsPerHour() + " flux par heure atteint"));
            }
        }
        return Optional.empty();
    }

    /** Empty when now is inside a window (or there are none); else the next opening. */
    Optional<Instant> nextWindowStart(List<TransmissionRules.Window> windows, Instant now) {
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        Instant next = null;
        // yesterday's overnight windows may still be open; look a week ahead for the next opening
        for (int day = -1; day <= 7; day++) {
            LocalDate date = local.toLocalDate().plusDays(day);
            for (TransmissionRules.Window w : windows) {
                if (!w.days().contains(date.getDayOfWeek())) {
                    continue;
                }
                ZonedDateTime open = LocalDateTime.of(date, w.from()).atZone(zone);
                ZonedDateTime close = LocalDateTime.of(w.overnight() ? date.plusDays(1) : date, w.to()).atZone(zone);
                if (!local.isBefore(open) && local.isBefore(close)) {
                    return Optional.empty();
                }
                if (open.isAfter(local) && (next == null || open.toInstant().isBefore(next))) {
                    next = open.toInstant();
                }
            }
        }
        return Optional.ofNullable(next);
    }
}
