package fr.passerelle.tenant;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When a commune's flows may leave for the treasury: time windows (empty: any time) and at most
 * so many flows per rolling hour (0: no limit), as tiers de télétransmission impose them.
 */
public record TransmissionRules(List<Window> windows, int maxFlowsPerHour) {

    public static final TransmissionRules ANY_TIME = new TransmissionRules(List.of(), 0);

    /** Days and hours, local time of the commune: "Mon-Fri 07:30-19:00", "Sat 08:00-12:00", "22:00-06:00". */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

        /** Whether the window spans midnight (to earlier than from): then it ends the next day. */
        public boolean overnight() {
            return to.isBefore(from);
        }

        public static Window parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 1 || parts.length > 2) {
                throw new IllegalArgumentException("window '" + text + "' must be like 'Mon-Fri 07:30-19:00'");
            }
            Set<DayOfWeek> days = parts.length == 2 ? days(parts[0]) : EnumSet.allOf(DayOfWeek.class);
            String[] hours = parts[parts.length - 1].split("-");
            if (hours.length != 2) {
                throw new IllegalArgumentException("window '" + text + "' needs hours like 07:30-19:00");
            }
            try {
                LocalTime from = LocalTime.parse(hours[0]);
                LocalTime to = LocalTime.parse(hours[1]);
                if (from.equals(to)) {
                    throw new IllegalArgumentException("window '" + text + "' is empty (same start and end)");
                }
                return new Window(days, from, to);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("window '" + text + "': hours must be HH:mm", e);
            }
        }

        private static Set<DayOfWeek> days(String text) {
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (String item : text.split(",")) {
                String[] range = item.split("-");
                DayOfWeek first = day(range[0]);
                DayOfWeek last = range.length > 1 ? day(range[1]) : first;
                for (DayOfWeek d = first; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == last) {
                        break;
                    }
                }
            }
            return days;
        }

        private static DayOfWeek day(String text) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().substring(0, 3).equalsIgnoreCase(text)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("day '" + text + "' must be one of Mon Tue Wed Thu Fri Sat Sun");
        }

        @Override
        public String toString() {
            return days + " " + from + "-" + to;
        }
    }

    public static TransmissionRules parse(List<String> windows, int maxFlowsPerHour) {
        if (maxFlowsPerHour < 0) {
            throw new IllegalArgumentException("maxFlowsPerHour must be 0 (no limit) or more");
        }
        return new TransmissionRules(windows.stream().filter(w -> !w.isBlank()).map(Window::parse).toList(),
                maxFlowsPerHour);
    }
}
