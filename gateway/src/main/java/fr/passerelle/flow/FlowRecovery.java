package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * What makes every flow reach a final state whatever was killed and when. The database is the
 * truth; a queue message only wakes a stage up for a flow id. A flow in a state some stage must
 * act on (RECEIVED, a PES flow PACKED or BLOCKED, SIGNED) carries a deadline: {@code wake_at},
 * or, until its message is on the queue, its last change plus the grace. Past it, the sweep wakes
 * the stage again and moves the deadline on; the stages are idempotent on the flow id, so a
 * second wake-up costs a lookup and never a second effect. Flows that stay too long in any
 * non-final state are "stalled": listed, counted and reported by health.
 */
public final class FlowRecovery {

    /** States a flow must not stay in for ever (UNROUTED, SENT, FAILED wait for people or for the treasury). */
    public static final List<FlowStatus> NOT_FINAL = List.of(FlowStatus.RECEIVED, FlowStatus.VALIDATED, FlowStatus.PACKED,
            FlowStatus.SIGNED, FlowStatus.BLOCKED);
    /**
     * A stalled flow, given the instant before which it should have moved: in a non-final state, and
     * last expected to move (its last change, or the end of a wait on purpose such as a window) before then.
     */
    static final String STALLED = "status IN (" + NOT_FINAL.stream().map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", ")) + ") AND COALESCE(waiting_until, updated_at) < ?";
    private static final String PES_ALLER = "PES_ALLER";
    private static final int SWEEP_BATCH = 500;

    /** A flow whose stage must be woken again, and the state it is in. */
    public record WakeUp(Flow flow, FlowStatus status) {
        public String id() {
            return flow.id();
        }
    }

    /** Timings: the grace before a flow never handed off is woken, the delay between later wake-ups, stalled after. */
    public record Timing(Duration grace, Duration rewakeAfter, Duration stalledAfter) {
    }

    private final DataSource dataSource;
    private final FlowStore flows;
    private final Clock clock;
    private final Timing timing;

    public FlowRecovery(DataSource dataSource, FlowStore flows, Clock clock, Timing timing) {
        this.dataSource = dataSource;
        this.flows = flows;
        this.clock = clock;
        this.timing = timing;
    }

    /**
     * These received flows' wake-ups are on the validation queue: the next one only if nothing happens
     * for a while. One transaction, rows in id order (two batches never wait on each other); a flow
     * that has moved on meanwhile is left alone.
     */
    public void handedOff(List<String> flowIds) {
        if (flowIds.isEmpty()) {
            return;
        }
        List<String> sorted = flowIds.stream().sorted().distinct().toList();
        OffsetDateTime wakeAt = at(now().plus(timing.rewakeAfter()));
        flows.inTransaction("Cannot record the hand-off of " + sorted.size() + " flows", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE flow SET wake_at = ? WHERE id = ? AND status = ?")) {
                for (String id : sorted) {
                    s.setObject(1, wakeAt);
                    s.setString(2, id);
                    s.setString(3, FlowStatus.RECEIVED.name());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return true;
        });
    }

    /** A stage is still working on the flow (a failed attempt the broker will redeliver): no wake-up meanwhile. */
    public void postpone(String flowId) {
        update("UPDATE flow SET wake_at = ? WHERE id = ?", at(now().plus(timing.rewakeAfter())), flowId);
    }

    /** The flow waits on purpose until then (a transmission window, a quota): woken after it if its message is lost. */
    public void waitUntil(String flowId, Instant until) {
        update("UPDATE flow SET waiting_until = ?, wake_at = ? WHERE id = ?", at(until),
                at(until.plus(timing.rewakeAfter())), flowId);
    }

    /**
     * The flows whose deadline has passed, each given its next deadline (BLOCKED ones come back
     * after the grace: a valid key may be installed any time). A crash between the two costs one
     * more rewake period, never the flow.
     */
    public List<WakeUp> due() {
        Instant now = now();
        List<WakeUp> due = new ArrayList<>();
        String sql = "SELECT id, status FROM flow WHERE status IN (?, ?, ?, ?) AND (status IN (?, ?) OR format = ?) "
                + "AND ((wake_at IS NULL AND updated_at < ?) OR wake_at < ?) ORDER BY updated_at LIMIT " + SWEEP_BATCH;
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (FlowStatus st : List.of(FlowStatus.RECEIVED, FlowStatus.PACKED, FlowStatus.BLOCKED, FlowStatus.SIGNED)) {
                s.setString(i++, st.name());
            }
            s.setString(i++, FlowStatus.RECEIVED.name());
            s.setString(i++, FlowStatus.SIGNED.name());
            s.setString(i++, PES_ALLER);
            s.setObject(i++, at(now.minus(timing.grace())));
            s.setObject(i, at(now));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot read the flows to wake up", e);
        }
        for (String[] row : rows) {
            FlowStatus status = FlowStatus.valueOf(row[1]);
            Duration next = status == FlowStatus.BLOCKED ? timing.grace() : timing.rewakeAfter();
            // only the node that moves the deadline wakes the flow (several nodes sweep the same table)
            int moved = update("UPDATE flow SET wake_at = ? WHERE id = ? AND status = ? AND ((wake_at IS NULL AND "
                    + "updated_at < ?) OR wake_at < ?)", at(now.plus(next)), row[0], row[1],
                    at(now.minus(timing.grace())), at(now));
            if (moved == 1) {
                flows.find(row[0]).ifPresent(f -> due.add(new WakeUp(f, status)));
            }
        }
        return due;
    }

    /** A flow not expected to move since before this (and still in a non-final state) is stalled. */
    public OffsetDateTime stalledSince() {
        return at(now().minus(timing.stalledAfter()));
    }

    public Duration stalledAfter() {
        return timing.stalledAfter();
    }

    /** Stalled flows per state (all communes), for the metric and health. */
    public Map<FlowStatus, Long> stalledCounts() {
        Map<FlowStatus, Long> counts = new EnumMap<>(FlowStatus.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT status, COUNT(*) FROM flow WHERE " + STALLED + " GROUP BY status")) {
            s.setObject(1, stalledSince());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(FlowStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot count stalled flows", e);
        }
        return counts;
    }

    /** The oldest stalled flow: its id, state and the instant since which it has not moved (none: empty). */
    public java.util.Optional<Stalled> oldestStalled() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, status, COALESCE(waiting_until, updated_at) AS since FROM flow WHERE " + STALLED
                        + " ORDER BY since, id FETCH FIRST 1 ROWS ONLY")) {
            s.setObject(1, stalledSince());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new Stalled(rs.getString(1), FlowStatus.valueOf(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class)));
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot find the oldest stalled flow", e);
        }
    }

    /** A stalled flow as health names it. */
    public record Stalled(String flowId, FlowStatus status, OffsetDateTime since) {
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot run " + sql + " for " + Stream.of(args).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ": " + e.getMessage(), e);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
