package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import fr.passerelle.document.Rejection;

/**
 * The two writes every invoice makes, its intake and its verdict, written by group
 * ({@link GroupCommit}): a group of intakes is one batch of flows (each inserted unless its content
 * is recorded), one batch of events and one commit; a group of verdicts one batch of moves, one of events, one of reports and
 * one commit. What each caller is answered is what a write of its own would have answered.
 */
final class GroupedFlowWrites {

    /** Writes per group: beyond this a group's batches add latency to its first caller and nothing else. */
    static final int MAX_GROUP = 64;

    /** An intake as written: the new flow, or the flow already recorded for the same content. */
    record Intake(Flow flow, boolean duplicate) {
    }

    /** A validation's verdict, stored with the flow's move from RECEIVED. */
    record Verdict(String flowId, FlowStatus to, Rejection rejection, String detail, String processing,
                   String verdict, String profile, String reportJson) {
    }

    private final Supplier<OffsetDateTime> clock;

    GroupedFlowWrites(Supplier<OffsetDateTime> clock) {
        this.clock = clock;
    }

    /**
     * New flows, each written unless the same content of the same owner is recorded (then answered
     * with it). The check is in each insert (INSERT … WHERE NOT EXISTS): no lookup round trip for
     * the group; only the contents found recorded are read, to answer with their flows.
     */
    List<Intake> receive(Connection c, List<FlowStore.NewFlow> group) throws SQLException {
        OffsetDateTime now = clock.get();
        List<String> keys = new ArrayList<>(group.size()); // once: a flow that is not deduplicated gets a fresh one
        Map<String, Flow> firstOfKey = new HashMap<>();
        List<Flow> candidates = new ArrayList<>();
        List<String> candidateKeys = new ArrayList<>();
        List<FlowStore.NewFlow> candidatesAs = new ArrayList<>();
        for (FlowStore.NewFlow nf : group) {
            String key = nf.dedupKey();
            keys.add(key);
            if (firstOfKey.containsKey(key)) {
                continue; // the same content twice in one group: the second is answered with the first
            }
            Flow flow = FlowStore.written(FlowIds.next(), nf, now);
            firstOfKey.put(key, flow);
            candidates.add(flow);
            candidateKeys.add(key);
            candidatesAs.add(nf);
        }
        int[] inserted = insertFlowsIfAbsent(c, candidates, candidatesAs, candidateKeys);
        Map<String, Flow> recorded = new HashMap<>();
        List<String> found = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (inserted[i] == Statement.SUCCESS_NO_INFO) {
                throw new SQLException("insert counts not reported by the driver"); // each intake written alone again
            }
            if (inserted[i] > 0) {
                recorded.put(candidateKeys.get(i), candidates.get(i));
                events.add(new Event(candidates.get(i).id(), candidates.get(i).status(), candidatesAs.get(i).detail()));
            } else {
                found.add(candidateKeys.get(i));
            }
        }
        Map<String, Flow> already = recorded(c, found);
        List<Intake> answers = new ArrayList<>(group.size());
        Set<String> answeredNew = new HashSet<>();
        for (String key : keys) {
            Flow mine = recorded.get(key);
            Flow theirs = already.get(key);
            if (mine == null && theirs == null) {
                throw new SQLException("flow of dedup key " + key + " neither written nor found");
            }
            // the first intake of a content written now is the new flow; any other is a duplicate
            boolean duplicate = mine == null || !answeredNew.add(key);
            answers.add(new Intake(mine != null ? mine : theirs, duplicate));
        }
        if (!events.isEmpty()) {
            insertEvents(c, events, now);
        }
        return answers;
    }

    /** Verdicts: each flow still RECEIVED moves and keeps its report; the others are answered null. */
    List<OffsetDateTime> recordValidation(Connection c, List<Verdict> group) throws SQLException {
        OffsetDateTime now = clock.get();
        int[] moved;
        try (PreparedStatement update = c.prepareStatement(FlowStore.MOVE + "?)")) {
            for (Verdict v : group) {
                FlowStore.bindMove(update, v.flowId(), v.to(), v.rejection(), now);
                update.setString(8, FlowStatus.RECEIVED.name());
                update.addBatch();
            }
            moved = update.executeBatch();
        }
        List<OffsetDateTime> answers = new ArrayList<>(group.size());
        List<Verdict> applied = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            if (moved[i] == Statement.SUCCESS_NO_INFO) {
                // the driver cannot tell which flows moved: each verdict is written alone again
                throw new SQLException("update counts not reported by the driver");
            }
            answers.add(moved[i] > 0 ? now : null);
            if (moved[i] > 0) {
                applied.add(group.get(i));
            }
        }
        if (applied.isEmpty()) {
            return answers;
        }
        insertEvents(c, applied.stream().map(v -> new Event(v.flowId(), v.to(), v.detail())).toList(), now);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO validation_report "
                + "(flow_id, processing, verdict, profile, created_at, report) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Verdict v : applied) {
                insert.setString(1, v.flowId());
                insert.setString(2, v.processing());
                insert.setString(3, v.verdict());
                insert.setString(4, v.profile());
                insert.setObject(5, now);
                insert.setString(6, v.reportJson());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return answers;
    }

    /** The flows recorded under these dedup keys (one lookup; none when there are no keys). */
    private static Map<String, Flow> recorded(Connection c, List<String> keys) throws SQLException {
        Map<String, Flow> known = new HashMap<>();
        if (keys.isEmpty()) {
            return known;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT " + FlowStore.COLUMNS + ", dedup_key FROM flow "
                + "WHERE dedup_key IN (" + FlowStore.placeholders(keys.size()) + ")")) {
            for (int i = 0; i < keys.size(); i++) {
                s.setString(i + 1, keys.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString("dedup_key"), FlowStore.map(rs));
                }
            }
        }
        return known;
    }

    /** Each flow inserted unless a flow of its dedup key is recorded: 1 when inserted, 0 when not. */
    private static int[] insertFlowsIfAbsent(Connection c, List<Flow> flows, List<FlowStore.NewFlow> from,
                                             List<String> keys) throws SQLException {
        if (flows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO flow (" + FlowStore.COLUMNS
                + ", dedup_key) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM flow WHERE dedup_key = ?)")) {
            for (int i = 0; i < flows.size(); i++) {
                bindFlow(insert, flows.get(i), from.get(i).rejection(), keys.get(i));
                insert.setString(17, keys.get(i));
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    static void insertFlows(Connection c, List<Flow> flows, List<FlowStore.NewFlow> from) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO flow (" + FlowStore.COLUMNS
                + ", dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < flows.size(); i++) {
                bindFlow(insert, flows.get(i), from.get(i).rejection(), from.get(i).dedupKey());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The flow row's 16 values, in the order of COLUMNS then dedup_key. */
    private static void bindFlow(PreparedStatement insert, Flow f, Rejection r, String dedupKey) throws SQLException {
        insert.setString(1, f.id());
        insert.setString(2, f.communeId());
        insert.setString(3, f.sha256());
        insert.setString(4, f.fileName());
        insert.setString(5, f.format());
        insert.setString(6, f.channel());
        insert.setString(7, f.sender());
        insert.setLong(8, f.size());
        insert.setString(9, f.status().name());
        insert.setString(10, r == null ? null : r.layer());
        insert.setString(11, r == null ? null : r.rule());
        insert.setString(12, r == null ? null : FlowStore.truncate(r.location(), 300));
        insert.setString(13, r == null ? null : FlowStore.truncate(r.message(), 2000));
        insert.setObject(14, f.receivedAt());
        insert.setObject(15, f.updatedAt());
        insert.setString(16, dedupKey);
    }

    /** An audit event of a flow. */
    record Event(String flowId, FlowStatus status, String detail) {
    }

    static void insertEvents(Connection c, List<Event> events, OffsetDateTime at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flow_event (flow_id, at, status, detail) VALUES (?, ?, ?, ?)")) {
            for (Event e : events) {
                s.setString(1, e.flowId());
                s.setObject(2, at);
                s.setString(3, e.status().name());
                s.setString(4, FlowStore.truncate(e.detail(), 2000));
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
