package fr.passerelle.flow;

import fr.passerelle.document.Rejection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way a flow's state changes: every change writes its audit event in the same
 * transaction, and transitions are compare-and-set on the current status so that a
 * redelivered message never moves a flow twice.
 */
public final class FlowStore {

    private static final Logger LOG = LoggerFactory.getLogger(FlowStore.class);
    /** Ids per IN list: one statement for a whole PES batch, far below any driver's parameter limit. */
    private static final int IN_LIST = 500;
    static final String COLUMNS = "id, commune_id, sha256, file_name, format, channel, sender, size_bytes, "
            + "status, reason_layer, reason_rule, reason_location, reason_message, received_at, updated_at";

    private final DataSource dataSource;
    private final Clock clock;
    /** Tells each committed change of status, with the flow's facts (metrics, the API's ?wait). */
    private final TransitionEvents events = new TransitionEvents();
    /** Intakes and verdicts that come together are committed together (each caller still waits for its commit). */
    private final GroupCommit<NewFlow, GroupedFlowWrites.Intake> intakes;
    private final GroupCommit<GroupedFlowWrites.Verdict, OffsetDateTime> verdicts;

    /** Intakes and verdicts never linger for others to join their commit (tests, the benchmarks' own stores). */
    public FlowStore(DataSource dataSource, Clock clock) {
        this(dataSource, clock, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Under load, intakes and verdicts linger for others to share their commit ({@link GroupCommit}),
     * each at most its own linger: an intake's is paid by the sender waiting for its answer, a
     * verdict's only by a validation consumer (while the judges go on with others).
     */
    public FlowStore(DataSource dataSource, Clock clock, Duration intakeLinger, Duration verdictLinger) {
        this.dataSource = dataSource;
        this.clock = clock;
        GroupedFlowWrites writes = new GroupedFlowWrites(this::now);
        this.intakes = new GroupCommit<>(dataSource, GroupedFlowWrites.MAX_GROUP, intakeLinger, writes::receive);
        this.verdicts = new GroupCommit<>(dataSource, GroupedFlowWrites.MAX_GROUP, verdictLinger, writes::recordValidation);
    }

    /** Where this node's committed changes of status are told, and announced by who commits them itself. */
    public TransitionEvents events() {
        return events;
    }

    /** What intake knows of a new file. communeId is null while the file is unrouted. */
    public record NewFlow(String communeId, String sha256, String fileName, String format, String channel,
                          String sender, long size, FlowStatus status, Rejection rejection, String detail,
                          boolean deduplicated) {

        /** A flow that is one per content and owner: the same file sent again is answered with it. */
        public NewFlow(String communeId, String sha256, String fileName, String format, String channel,
                       String sender, long size, FlowStatus status, Rejection rejection, String detail) {
            this(communeId, sha256, fileName, format, channel, sender, size, status, rejection, detail, true);
        }

        /** The same, never answered for a later sending of the same content (it was refused for its envelope). */
        public NewFlow notDeduplicated() {
            return new NewFlow(communeId, sha256, fileName, format, channel, sender, size, status, rejection, detail,
                    false);
        }

        /** Whether the same content of the same owner, sent again, is answered with this flow. */
        boolean deduplicates() {
            return sha256 != null && deduplicated;
        }

        String dedupKey() {
            if (!deduplicates()) {
                return "unique:" + FlowIds.next();
            }
            String owner = communeId != null ? "c:" + communeId : "s:" + channel + ":" + sender;
            return owner + ":" + sha256;
        }
    }

    /** The flow for a file, and whether it already existed (same content from the same commune). */
    public record Received(Flow flow, boolean duplicate) {
    }

    public Received receive(NewFlow nf) {
        GroupedFlowWrites.Intake written;
        try {
            written = intakes.write(nf);
        } catch (SQLException e) {
            // a concurrent intake of the same content (another node) won the race: answer with its flow
            Optional<Flow> winner = nf.deduplicates() ? findByDedupKey(nf.dedupKey()) : Optional.empty();
            if (winner.isPresent()) {
                LOG.info("Flow for {} not recorded ({}): the same content was recorded meanwhile as {}", nf.fileName(),
                        e.getMessage(), winner.get().id());
                return new Received(winner.get(), true);
            }
            throw new FlowStoreException("Cannot record flow for " + nf.fileName(), e);
        }
        // the row as written or found, without reading it back (one round trip less for every intake)
        Flow flow = written.flow();
        events.remember(flow);
        if (!written.duplicate()) {
            events.created(flow, false);
        }
        return new Received(flow, written.duplicate());
    }

    /** A new flow as its row is written. */
    static Flow written(String id, NewFlow nf, OffsetDateTime now) {
        return new Flow(id, nf.communeId(), nf.sha256(), nf.fileName(), nf.format(), nf.channel(), nf.sender(),
                nf.size(), nf.status(), stored(nf.rejection()), now, now);
    }

    /** A rejection as the flow row keeps it (its long texts shortened; none without a rule). */
    static Rejection stored(Rejection r) {
        return r == null || r.rule() == null ? null
                : new Rejection(r.layer(), r.rule(), truncate(r.location(), 300), truncate(r.message(), 2000));
    }

    /**
     * Moves a flow from one of the expected statuses to the next, with its audit event.
     * Returns false (and changes nothing) when the flow is not in an expected status any more.
     */
    public boolean transition(String flowId, Set<FlowStatus> expected, FlowStatus to, Rejection rejection,
                              String detail) {
        return transition(flowId, expected, to, rejection, detail, (c, now) -> {
        });
    }

    /** What a stage writes with a transition, in its transaction (a report, a counter…). */
    @FunctionalInterface
    public interface Alongside {
        void write(Connection c, OffsetDateTime now) throws SQLException;
    }

    /**
     * The end of validation: the flow moves from RECEIVED to VALIDATED, REJECTED or FAILED and its
     * report is stored, in one transaction. False when the flow was not RECEIVED any more (a
     * redelivered message): nothing is written then.
     */
    public boolean recordValidation(String flowId, FlowStatus to, Rejection rejection, String detail,
                                    String processing, String verdict, String profile, String reportJson) {
        TransitionEvents.Leaving left = events.leaving(flowId, only(FlowStatus.RECEIVED));
        OffsetDateTime movedAt;
        try {
            movedAt = verdicts.write(new GroupedFlowWrites.Verdict(flowId, to, rejection, detail, processing, verdict,
                    profile, reportJson));
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot move flow " + flowId + " to " + to, e);
        }
        if (movedAt == null) {
            return false;
        }
        events.moved(flowId, left, to, movedAt);
        return true;
    }

    /** The stored validation report of a flow (JSON), if it was validated. */
    public Optional<String> validationReport(String flowId) {
        return first("SELECT report FROM validation_report WHERE flow_id = ?", rs -> rs.getString(1), flowId);
    }

    /**
     * A flow's move to a status, followed by the statuses it may leave: a new state starts its own
     * recovery deadline (wake_at NULL: updated_at plus the grace). {@link #bindMove} sets the first seven values.
     */
    static final String MOVE = "UPDATE flow SET status = ?, updated_at = ?, reason_layer = ?, reason_rule = ?, "
            + "reason_location = ?, reason_message = ?, wake_at = NULL, waiting_until = NULL WHERE id = ? AND status IN (";

    static void bindMove(PreparedStatement update, String flowId, FlowStatus to, Rejection rejection,
                         OffsetDateTime now) throws SQLException {
        update.setString(1, to.name());
        update.setObject(2, now);
        update.setString(3, rejection == null ? null : rejection.layer());
        update.setString(4, rejection == null ? null : rejection.rule());
        update.setString(5, rejection == null ? null : truncate(rejection.location(), 300));
        update.setString(6, rejection == null ? null : truncate(rejection.message(), 2000));
        update.setString(7, flowId);
    }

    /** A transition and what the stage writes with it, in one transaction (nothing written when it does not apply). */
    public boolean transition(String flowId, Set<FlowStatus> expected, FlowStatus to, Rejection rejection,
                              String detail, Alongside alongside) {
        OffsetDateTime now = now();
        // before the move: what is remembered of the flow (a read committed meanwhile may already show the new status)
        TransitionEvents.Leaving left = events.leaving(flowId, expected);
        List<FlowStatus> from = new ArrayList<>(expected);
        String sql = MOVE + placeholders(from.size()) + ")";
        boolean moved = inTransaction("Cannot move flow " + flowId + " to " + to, c -> {
            try (PreparedStatement update = c.prepareStatement(sql)) {
                bindMove(update, flowId, to, rejection, now);
                for (int i = 0; i < from.size(); i++) {
                    update.setString(8 + i, from.get(i).name());
                }
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            insertEvent(c, flowId, now, to, detail);
            alongside.write(c, now);
            return true;
        });
        if (moved) {
            events.moved(flowId, left, to, now);
        }
        return moved;
    }

    /** VALIDATED invoice flows, oldest first: what the PES stage packs into PJ. */
    public List<Flow> validatedInvoices() {
        return withStatus(FlowStatus.VALIDATED);
    }

    /** A flow moved along by the one built from it, with the event that says why. */
    record Moved(String flowId, String detail) {
    }

    /** What a stage writes with a flow it builds, in its transaction, once the new flow has its id. */
    @FunctionalInterface
    interface AlongsideBuilt {
        void write(Connection c, String builtFlowId) throws SQLException;
    }

    /**
     * A flow built from others (a PES flow from invoices), in one transaction: the new flow with
     * its first event, every source moved {@code from} → {@code to} with its own event, then what
     * the stage writes alongside. Empty when a source had moved meanwhile (another node): nothing
     * is written then.
     */
    Optional<Flow> receiveBuiltFrom(NewFlow built, List<Moved> sources, FlowStatus from, FlowStatus to,
                                    String failure, AlongsideBuilt alongside) {
        String id = FlowIds.next();
        OffsetDateTime now = now();
        boolean done = inTransaction(failure, c -> {
            GroupedFlowWrites.insertFlows(c, List.of(written(id, built, now)), List.of(built));
            insertEvent(c, id, now, built.status(), built.detail());
            // one round trip per statement kind for the whole batch (several nodes share the database)
            try (PreparedStatement update = c.prepareStatement("UPDATE flow SET status = ?, updated_at = ? "
                    + "WHERE id = ? AND status = ?");
                 PreparedStatement event = c.prepareStatement(
                         "INSERT INTO flow_event (flow_id, at, status, detail) VALUES (?, ?, ?, ?)")) {
                for (Moved source : sources) {
                    update.setString(1, to.name());
                    update.setObject(2, now);
                    update.setString(3, source.flowId());
                    update.setString(4, from.name());
                    update.addBatch();
                    event.setString(1, source.flowId());
                    event.setObject(2, now);
                    event.setString(3, to.name());
                    event.setString(4, truncate(source.detail(), 2000));
                    event.addBatch();
                }
                for (int moved : update.executeBatch()) {
                    if (moved == 0) {
                        return false; // a source moved meanwhile (another node): nothing recorded
                    }
                }
                event.executeBatch();
            }
            alongside.write(c, id);
            return true;
        });
        if (!done) {
            return Optional.empty();
        }
        events.created(written(id, built, now), true);
        for (Moved source : sources) {
            events.moved(source.flowId(), from, to, now); // each invoice counted, as it was read to be packed
        }
        return find(id);
    }

    /**
     * A stage's product for a flow (the signed PES) is kept, and the flow moves on, in one
     * transaction. False when the flow was not in an expected status any more.
     */
    public boolean recordArtifact(String flowId, Set<FlowStatus> expected, FlowStatus to, String kind, String sha256,
                                  String detail) {
        return transition(flowId, expected, to, null, detail, (c, now) -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO flow_artifact (flow_id, kind, sha256, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, flowId);
                insert.setString(2, kind);
                insert.setString(3, sha256);
                insert.setObject(4, now);
                insert.executeUpdate();
            }
        });
    }

    public Optional<String> artifact(String flowId, String kind) {
        return first("SELECT sha256 FROM flow_artifact WHERE flow_id = ? AND kind = ?", rs -> rs.getString(1), flowId,
                kind);
    }

    boolean exists(String sql, String... args) {
        return first(sql, rs -> Boolean.TRUE, args).isPresent();
    }

    /** Reads one value from a row of a query, when there is a row. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first row of a query on text parameters, read by {@code row}; empty when there is none. */
    <T> Optional<T> first(String sql, Row<T> row, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot run " + sql + " for " + String.join(", ", args), e);
        }
    }

    /** Routes an unrouted flow to the commune its buyer designates; the flow becomes RECEIVED. */
    public boolean route(String flowId, String communeId, String detail) {
        OffsetDateTime now = now();
        boolean routed = inTransaction("Cannot route flow " + flowId, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE flow SET commune_id = ?, status = ?, updated_at = ?, reason_layer = NULL, reason_rule = NULL, "
                            + "reason_location = NULL, reason_message = NULL, wake_at = NULL WHERE id = ? AND status = ?")) {
                update.setString(1, communeId);
                update.setString(2, FlowStatus.RECEIVED.name());
                update.setObject(3, now);
                update.setString(4, flowId);
                update.setString(5, FlowStatus.UNROUTED.name());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            insertEvent(c, flowId, now, FlowStatus.RECEIVED, detail);
            return true;
        });
        if (routed) {
            events.routed(flowId, communeId, now);
        }
        return routed;
    }

    /** Work done in one database transaction: committed when it answers true, rolled back otherwise. */
    @FunctionalInterface
    interface Work {
        boolean run(Connection c) throws SQLException;
    }

    /** The work in one transaction: committed when it answers true, rolled back otherwise or when it fails. */
    boolean inTransaction(String failure, Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean done = work.run(c);
                if (done) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new FlowStoreException(failure, e);
        }
    }

    /** An event in the flow's history that changes nothing else (why it waits, say). */
    public void note(String flowId, String detail) {
        inTransaction("Cannot note on flow " + flowId, c -> {
            String status = null;
            try (PreparedStatement s = c.prepareStatement("SELECT status FROM flow WHERE id = ?")) {
                s.setString(1, flowId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        status = rs.getString(1);
                    }
                }
            }
            if (status == null) {
                return false;
            }
            insertEvent(c, flowId, now(), FlowStatus.valueOf(status), detail);
            return true;
        });
    }

    /** Flows of one format in a status, oldest change first (the signing sweep asks for PES_ALLER only). */
    public List<Flow> withStatus(FlowStatus status, String format) {
        return query("SELECT " + COLUMNS + " FROM flow WHERE status = ? AND format = ? ORDER BY updated_at",
                status.name(), format);
    }

    public List<Flow> withStatus(FlowStatus status) {
        return query("SELECT " + COLUMNS + " FROM flow WHERE status = ? ORDER BY received_at", status.name());
    }

    /** The flows of these ids (in no particular order), read a few hundred per statement. */
    public List<Flow> findAll(List<String> ids) {
        List<Flow> found = new ArrayList<>();
        for (List<String> chunk : chunks(ids)) {
            found.addAll(query("SELECT " + COLUMNS + " FROM flow WHERE id IN (" + placeholders(chunk.size()) + ")",
                    chunk.toArray()));
        }
        return found;
    }

    /** The validation reports (JSON) of these flows, by flow id, read a few hundred per statement. */
    public Map<String, String> validationReports(List<String> flowIds) {
        Map<String, String> reports = new HashMap<>();
        for (List<String> chunk : chunks(flowIds)) {
            String sql = "SELECT flow_id, report FROM validation_report WHERE flow_id IN (" + placeholders(chunk.size()) + ")";
            for (Map.Entry<String, String> report : rows(sql, rs -> Map.entry(rs.getString(1), rs.getString(2)),
                    chunk.toArray())) {
                reports.put(report.getKey(), report.getValue());
            }
        }
        return reports;
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IN_LIST) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + IN_LIST)));
        }
        return chunks;
    }

    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    public Optional<Flow> find(String id) {
        return query("SELECT " + COLUMNS + " FROM flow WHERE id = ?", id).stream().findFirst();
    }

    private Optional<Flow> findByDedupKey(String key) {
        return query("SELECT " + COLUMNS + " FROM flow WHERE dedup_key = ?", key).stream().findFirst();
    }

    public List<Flow> list(FlowQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM flow WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.communeId() != null) {
            sql.append(" AND commune_id = ?");
            args.add(q.communeId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status().name());
        }
        if (q.format() != null) {
            sql.append(" AND format = ?");
            args.add(q.format());
        }
        if (q.channel() != null) {
            sql.append(" AND channel = ?");
            args.add(q.channel());
        }
        if (q.from() != null) {
            sql.append(" AND received_at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND received_at < ?");
            args.add(q.to());
        }
        if (q.stalledSince() != null) {
            sql.append(" AND ").append(FlowRecovery.STALLED);
            args.add(q.stalledSince());
        }
        sql.append(" ORDER BY received_at DESC, id LIMIT ").append(q.limit()).append(" OFFSET ").append(q.offset());
        return query(sql.toString(), args.toArray());
    }

    public List<FlowEvent> history(String flowId) {
        List<FlowEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT at, status, detail FROM flow_event WHERE flow_id = ? ORDER BY id")) {
            s.setString(1, flowId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new FlowEvent(rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                            FlowStatus.valueOf(rs.getString(2)), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot read history of flow " + flowId, e);
        }
        return events;
    }

    /** Flow counts per commune ("" for unrouted) and status, for the metrics. */
    public Map<String, Map<FlowStatus, Long>> countByCommuneAndStatus() {
        Map<String, Map<FlowStatus, Long>> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT commune_id, status, COUNT(*) FROM flow GROUP BY commune_id, status");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String commune = rs.getString(1) == null ? "" : rs.getString(1);
                counts.computeIfAbsent(commune, k -> new java.util.EnumMap<>(FlowStatus.class))
                        .put(FlowStatus.valueOf(rs.getString(2)), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot count flows", e);
        }
        return counts;
    }

    /** A cheap round trip, for the readiness check. */
    public void ping() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("SELECT 1")) {
            s.executeQuery().close();
        } catch (SQLException e) {
            throw new FlowStoreException("Database does not answer", e);
        }
    }

    public static Set<FlowStatus> only(FlowStatus first, FlowStatus... more) {
        return EnumSet.of(first, more);
    }

    private void insertEvent(Connection c, String flowId, OffsetDateTime at, FlowStatus status, String detail)
            throws SQLException {
        GroupedFlowWrites.insertEvents(c, List.of(new GroupedFlowWrites.Event(flowId, status, detail)), at);
    }

    private void update(String sql, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot update flow " + id, e);
        }
    }

    /** The flows a query finds, remembered for the transitions that follow (see {@link Transition}). */
    private List<Flow> query(String sql, Object... args) {
        List<Flow> flows = rows(sql, FlowStore::map, args);
        flows.forEach(events::remember);
        return flows;
    }

    private <T> List<T> rows(String sql, Row<T> row, Object... args) {
        List<T> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new FlowStoreException("Cannot run " + sql, e);
        }
        return rows;
    }

    static Flow map(ResultSet rs) throws SQLException {
        Rejection rejection = rs.getString("reason_rule") == null ? null
                : new Rejection(rs.getString("reason_layer"), rs.getString("reason_rule"),
                rs.getString("reason_location"), rs.getString("reason_message"));
        return new Flow(rs.getString("id"), rs.getString("commune_id"), rs.getString("sha256"),
                rs.getString("file_name"), rs.getString("format"), rs.getString("channel"), rs.getString("sender"),
                rs.getLong("size_bytes"), FlowStatus.valueOf(rs.getString("status")), rejection,
                rs.getObject("received_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                rs.getObject("updated_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** Microseconds, as both databases keep them: a flow built in memory equals the one read back. */
    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
