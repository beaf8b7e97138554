package fr.passerelle.treasury;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import fr.passerelle.flow.FlowIds;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.Transition;
import fr.passerelle.document.Rejection;

/**
 * What the database knows of the treasury exchange: each flow's transmission (one row per flow,
 * NomFic unique per commune, the step it reached), the return files taken, what each acquittement
 * said of each PJ, and the piece states of PES_Retour files. Status changes of the flows go
 * through {@link FlowStore#transition} so that they and these rows commit together.
 */
public final class TransmissionStore {

    public enum State { UPLOADING, RENAMING, SENT }

    public record Transmission(String flowId, String communeId, String nomFic, String endpoint, String remoteName,
                               String tempName, State state, int attempts, String lastError,
                               OffsetDateTime startedAt, OffsetDateTime sentAt) {
    }

    /** A return file taken from a response folder, and what became of it. */
    public record ReturnFile(String id, String endpoint, String fileName, String kind, String sha256,
                             OffsetDateTime receivedAt, String flowId, String outcome, String reason, String detail) {
    }

    /** What an acquittement said of one PJ. */
    public record PjAck(String invoiceFlowId, String idUnique, String pesFlowId, Boolean ok, String detail) {
    }

    public record PieceStateRow(String communeId, String flowId, String invoiceFlowId, String exercice, String idBord,
                                String idPce, String etat, String etatLabel, java.time.LocalDate etatDate,
                                String detail) {
    }

    private static final String TX_COLUMNS = "flow_id, commune_id, nom_fic, endpoint, remote_name, temp_name, state, "
            + "attempts, last_error, started_at, sent_at";
    private static final RowMapper<Transmission> TX = (rs, n) -> new Transmission(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), State.valueOf(rs.getString(7)),
            rs.getInt(8), rs.getString(9), utc(rs, 10), utc(rs, 11));
    private static final RowMapper<ReturnFile> RETURN = (rs, n) -> new ReturnFile(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), utc(rs, 6), rs.getString(7), rs.getString(8),
            rs.getString(9), rs.getString(10));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final FlowStore flows;
    private final Clock clock;

    public TransmissionStore(DataSource dataSource, FlowStore flows, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.flows = flows;
        this.clock = clock;
    }

    public Optional<Transmission> find(String flowId) {
        return jdbc.query("SELECT " + TX_COLUMNS + " FROM transmission WHERE flow_id = ?", TX, flowId).stream().findFirst();
    }

    /** Transmissions of a NomFic (one per commune at most), to match an acquittement with. */
    public List<Transmission> byNomFic(String nomFic) {
        return jdbc.query("SELECT " + TX_COLUMNS + " FROM transmission WHERE nom_fic = ?", TX, nomFic);
    }

    /** Thrown when another flow of the commune already went out under this NomFic. */
    public static final class NomFicTakenException extends RuntimeException {
        public NomFicTakenException(String message) {
            super(message);
        }
    }

    /**
     * Starts (or resumes) the transmission of a flow and claims it for this node for a while, so
     * that two deliveries of one flow never run at once. Empty when another node holds the claim.
     * The first call records the names the file goes under; later calls keep them.
     */
    public Optional<Transmission> claim(String flowId, String communeId, String nomFic, String endpoint,
                                        String remoteName, String tempName, String node, Duration lease) {
        OffsetDateTime now = now();
        try {
            jdbc.update("INSERT INTO transmission (flow_id, commune_id, nom_fic, endpoint, remote_name, temp_name, state, "
                            + "attempts, claimed_by, claimed_until, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?)",
                    flowId, communeId, nomFic, endpoint, remoteName, tempName, State.UPLOADING.name(), now);
        } catch (DataIntegrityViolationException e) {
            Optional<Transmission> mine = find(flowId);
            if (mine.isEmpty()) {
                throw new NomFicTakenException("le NomFic " + nomFic + " a déjà été transmis pour un autre flux");
            }
        }
        int claimed = jdbc.update("UPDATE transmission SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 "
                        + "WHERE flow_id = ? AND state <> ? AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)",
                node, now.plus(lease), flowId, State.SENT.name(), now, node);
        return claimed == 1 ? find(flowId) : Optional.empty();
    }

    /** The flow as signed for the treasury (its artefact's SHA-256). */
    public Optional<String> signedFile(String flowId) {
        return flows.artifact(flowId, fr.passerelle.signature.SigningStage.SIGNED);
    }

    /** Until when a node holds the flow's transmission (empty when none does). */
    public Optional<Instant> claimedUntil(String flowId) {
        return jdbc.queryForList("SELECT claimed_until FROM transmission WHERE flow_id = ? AND claimed_until IS NOT NULL",
                OffsetDateTime.class, flowId).stream().findFirst().map(OffsetDateTime::toInstant);
    }

    /** The file is complete under its temporary name: recorded before the rename that shows it. */
    public void uploaded(String flowId) {
        jdbc.update("UPDATE transmission SET state = ? WHERE flow_id = ? AND state = ?", State.RENAMING.name(), flowId,
                State.UPLOADING.name());
    }

    /** The attempt failed: the error is kept, the claim released (the broker will redeliver). */
    public void attemptFailed(String flowId, String error) {
        jdbc.update("UPDATE transmission SET last_error = ?, claimed_by = NULL, claimed_until = NULL WHERE flow_id = ?",
                truncate(error, 2000), flowId);
    }

    /**
     * The treasury has the file: transmission SENT, flow SIGNED → SENT, its invoices PACKED → SENT,
     * in one transaction. False when the flow had left SIGNED already.
     */
    public boolean sent(String flowId, String detail, List<PieceIndex.Piece> pieces) {
        List<Transition> invoices = new ArrayList<>();
        boolean done = flows.transition(flowId, FlowStore.only(FlowStatus.SIGNED), FlowStatus.SENT, null, detail, (c, now) -> {
            exec(c, "UPDATE transmission SET state = ?, sent_at = ?, claimed_by = NULL, claimed_until = NULL, "
                    + "last_error = NULL WHERE flow_id = ?", State.SENT.name(), now, flowId);
            String commune = first(c, "SELECT commune_id FROM flow WHERE id = ?", flowId);
            for (PieceIndex.Piece p : pieces) {
                for (String ref : p.pjRefs().isEmpty() ? java.util.Collections.<String>singletonList(null) : p.pjRefs()) {
                    exec(c, "INSERT INTO transmitted_piece (flow_id, commune_id, piece_domain, exer, id_bord, id_pce, "
                            + "pj_id_unique) VALUES (?, ?, ?, ?, ?, ?, ?)", flowId, commune, p.domain(), p.exer(),
                            p.idBord(), p.idPce(), ref);
                }
            }
            moveInvoices(c, flowId, FlowStatus.PACKED, FlowStatus.SENT, null, "transmis au comptable dans " + detail, now,
                    null, invoices);
        });
        if (done) {
            flows.events().announce(invoices);
        }
        return done;
    }

    /** The last attempt failed: flow FAILED with the error, the claim released. */
    public boolean failed(String flowId, Rejection why) {
        return flows.transition(flowId, FlowStore.only(FlowStatus.SIGNED), FlowStatus.FAILED, why,
                "transmission abandonnée : " + why.message(), (c, now) -> exec(c, "UPDATE transmission SET "
                        + "claimed_by = NULL, claimed_until = NULL, last_error = ? WHERE flow_id = ?",
                truncate(why.message(), 2000), flowId));
    }

    /** An operator sends a FAILED flow again: back to SIGNED, its attempts counted afresh. */
    public boolean replay(String flowId, String operator) {
        return flows.transition(flowId, FlowStore.only(FlowStatus.FAILED), FlowStatus.SIGNED, null,
                "renvoi demandé par " + operator, (c, now) -> exec(c, "UPDATE transmission SET attempts = 0, "
                        + "claimed_by = NULL, claimed_until = NULL WHERE flow_id = ?", flowId));
    }

    /** Flows of a commune that reached the treasury since an instant, oldest first (rate limit). */
    public List<Instant> sentSince(String communeId, Instant since) {
        return jdbc.queryForList("SELECT sent_at FROM transmission WHERE commune_id = ? AND sent_at >= ? ORDER BY sent_at",
                OffsetDateTime.class, communeId, since.atOffset(ZoneOffset.UTC)).stream().map(OffsetDateTime::toInstant).toList();
    }

    /** Flows SENT whose acquittement has not come after the delay: oldest first. */
    public List<Transmission> unacknowledged(Duration delay) {
        return jdbc.query("SELECT t.flow_id, t.commune_id, t.nom_fic, t.endpoint, t.remote_name, t.temp_name, t.state, "
                        + "t.attempts, t.last_error, t.started_at, t.sent_at FROM transmission t JOIN flow f ON f.id = t.flow_id "
                        + "WHERE f.status = ? AND t.sent_at < ? ORDER BY t.sent_at", TX, FlowStatus.SENT.name(),
                now().minus(delay));
    }

    /** How many flows {@link #unacknowledged} would list, counted by the database. */
    public long unacknowledgedCount(Duration delay) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM transmission t JOIN flow f ON f.id = t.flow_id "
                + "WHERE f.status = ? AND t.sent_at < ?", Long.class, FlowStatus.SENT.name(), now().minus(delay));
        return n == null ? 0 : n;
    }

    /** What one PJ's acquittement item said, to record with the flow's acknowledgement. */
    public record PjOutcome(String idUnique, boolean ok, Rejection why, String detail) {
        /** The state its invoice moves to. */
        FlowStatus status() {
            return ok ? FlowStatus.ACKNOWLEDGED : FlowStatus.REFUSED;
        }
    }

    /**
     * The acquittement of a SENT flow: ACKNOWLEDGED or REFUSED, the return file recorded, each PJ
     * and its invoice marked (an invoice without an item of its own follows its flow). False (and
     * nothing but the return file written, as DUPLICATE) when the flow was not SENT any more.
     */
    public boolean acknowledge(String flowId, boolean accepted, Rejection why, String eventDetail, ReturnFile file,
                               List<PjOutcome> pjs) {
        FlowStatus to = accepted ? FlowStatus.ACKNOWLEDGED : FlowStatus.REFUSED;
        List<Transition> invoices = new ArrayList<>();
        boolean done = flows.transition(flowId, FlowStore.only(FlowStatus.SENT), to, accepted ? null : why, eventDetail,
                (c, now) -> {
                    insertReturn(c, file);
                    invoices.clear(); // what a rolled back attempt gathered is not told
                    acknowledgePjs(c, flowId, pjs, now, invoices);
                    // invoices the acquittement did not name follow their flow
                    moveInvoices(c, flowId, FlowStatus.SENT, to, accepted ? null : why,
                            accepted ? "flux accepté par le comptable" : "flux refusé par le comptable : "
                                    + (why == null ? "" : why.message()), now, accepted, invoices);
                });
        if (done) {
            flows.events().announce(invoices);
        } else {
            recordReturn(new ReturnFile(file.id(), file.endpoint(), file.fileName(), file.kind(), file.sha256(),
                    file.receivedAt(), flowId, "DUPLICATE", "acquittement d'un flux déjà "
                    + flows.find(flowId).map(f -> f.status().name()).orElse("?"), file.detail()));
        }
        return done;
    }

    public void recordReturn(ReturnFile file) {
        jdbc.update("INSERT INTO treasury_return (id, endpoint, file_name, kind, sha256, received_at, flow_id, outcome, "
                        + "reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", file.id(), file.endpoint(), file.fileName(),
                file.kind(), file.sha256(), file.receivedAt(), file.flowId(), file.outcome(), truncate(file.reason(), 2000),
                file.detail());
    }

    /** A PES_Retour applied: the file recorded with the piece states it brought, in one transaction. */
    public void applyRetour(ReturnFile file, List<PieceStateRow> states) {
        transactions.executeWithoutResult(status -> {
            recordReturn(file);
            for (PieceStateRow st : states) {
                jdbc.update("INSERT INTO piece_state (return_id, commune_id, flow_id, invoice_flow_id, exercice, id_bord, "
                                + "id_pce, etat, etat_label, etat_date, detail, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        file.id(), st.communeId(), st.flowId(), st.invoiceFlowId(), st.exercice(), st.idBord(), st.idPce(),
                        st.etat(), st.etatLabel(), st.etatDate(), truncate(st.detail(), 2000), file.receivedAt());
            }
        });
    }


    /**
     * The same return file (name and content, same endpoint) was taken before with one of these
     * outcomes: a file taken again after a crash between its recording and its deletion on the server.
     */
    public boolean returnTaken(String endpoint, String fileName, String sha256, String... outcomes) {
        String in = String.join(", ", java.util.Collections.nCopies(outcomes.length, "?"));
        List<Object> args = new java.util.ArrayList<>(List.of(endpoint, fileName, sha256));
        args.addAll(List.of(outcomes));
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM treasury_return WHERE endpoint = ? AND file_name = ? "
                + "AND sha256 = ? AND outcome IN (" + in + ")", Integer.class, args.toArray());
        return n != null && n > 0;
    }

    public List<ReturnFile> returnsOf(String flowId) {
        return jdbc.query("SELECT id, endpoint, file_name, kind, sha256, received_at, flow_id, outcome, reason, detail "
                + "FROM treasury_return WHERE flow_id = ? ORDER BY received_at", RETURN, flowId);
    }

    public List<ReturnFile> quarantinedReturns() {
        return jdbc.query("SELECT id, endpoint, file_name, kind, sha256, received_at, flow_id, outcome, reason, detail "
                + "FROM treasury_return WHERE outcome = 'QUARANTINED' ORDER BY received_at", RETURN);
    }

    public long quarantinedCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM treasury_return WHERE outcome = 'QUARANTINED'", Long.class);
        return n == null ? 0 : n;
    }

    /** The PJ an invoice became, with what the acquittement said of it. */
    public Optional<PjAck> pjAckOfInvoice(String invoiceFlowId) {
        return jdbc.query("SELECT invoice_flow_id, id_unique, pes_flow_id, ack_ok, ack_detail FROM pes_pj "
                + "WHERE invoice_flow_id = ?", (rs, n) -> new PjAck(rs.getString(1), rs.getString(2), rs.getString(3),
                (Boolean) rs.getObject(4), rs.getString(5)), invoiceFlowId).stream().findFirst();
    }

    public List<PjAck> pjAcksOfFlow(String pesFlowId) {
        return jdbc.query("SELECT invoice_flow_id, id_unique, pes_flow_id, ack_ok, ack_detail FROM pes_pj "
                + "WHERE pes_flow_id = ? ORDER BY id_unique", (rs, n) -> new PjAck(rs.getString(1), rs.getString(2),
                rs.getString(3), (Boolean) rs.getObject(4), rs.getString(5)), pesFlowId);
    }

    /** Where a PJ IdUnique of a commune went: its PES flow and, for a PJ built here, its invoice. */
    public record PjPlace(String flowId, String invoiceFlowId) {
    }

    /**
     * The flow that carried a piece (by exercice, bordereau and piece number) and, when the piece
     * references a PJ built here, the invoice that PJ is.
     */
    public Optional<PjPlace> placeOfPiece(String communeId, String domain, String exer, String idBord, String idPce) {
        return jdbc.query("SELECT t.flow_id, p.invoice_flow_id FROM transmitted_piece t LEFT JOIN pes_pj p "
                        + "ON p.commune_id = t.commune_id AND p.id_unique = t.pj_id_unique WHERE t.commune_id = ? "
                        + "AND t.piece_domain = ? AND t.id_bord = ? AND t.id_pce = ? AND (t.exer = ? OR ? IS NULL) "
                        + "ORDER BY p.invoice_flow_id", (rs, n) -> new PjPlace(rs.getString(1), rs.getString(2)),
                communeId, domain, idBord, idPce, exer, exer).stream().findFirst();
    }

    public Optional<PjPlace> placeOfPj(String communeId, String idUnique) {
        List<PjPlace> built = jdbc.query("SELECT pes_flow_id, invoice_flow_id FROM pes_pj WHERE commune_id = ? AND id_unique = ?",
                (rs, n) -> new PjPlace(rs.getString(1), rs.getString(2)), communeId, idUnique);
        if (!built.isEmpty()) {
            return Optional.of(built.get(0));
        }
        return jdbc.query("SELECT flow_id FROM pes_pj_known WHERE commune_id = ? AND id_unique = ?",
                (rs, n) -> new PjPlace(rs.getString(1), null), communeId, idUnique).stream().findFirst();
    }

    public List<PieceStateRow> pieceStates(String flowId) {
        return jdbc.query("SELECT commune_id, flow_id, invoice_flow_id, exercice, id_bord, id_pce, etat, etat_label, etat_date, "
                        + "detail FROM piece_state WHERE flow_id = ? OR invoice_flow_id = ? ORDER BY id", (rs, n) ->
                        new PieceStateRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getObject(9, java.time.LocalDate.class), rs.getString(10)),
                flowId, flowId);
    }

    public static String newReturnId() {
        return FlowIds.next();
    }

    private void insertReturn(Connection c, ReturnFile file) throws SQLException {
        exec(c, "INSERT INTO treasury_return (id, endpoint, file_name, kind, sha256, received_at, flow_id, outcome, reason, "
                        + "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", file.id(), file.endpoint(), file.fileName(), file.kind(),
                file.sha256(), file.receivedAt(), file.flowId(), file.outcome(), truncate(file.reason(), 2000), file.detail());
    }

    /** Invoices of a PES flow still in one status move with it, each with its audit event. */
    private static void moveInvoices(Connection c, String pesFlowId, FlowStatus from, FlowStatus to, Rejection why,
                                     String detail, OffsetDateTime now, Boolean ackOk, List<Transition> moved)
            throws SQLException {
        // the ids first (index pes_pj_flow), then batched updates by primary key: H2 ran the single
        // "UPDATE flow ... WHERE id IN (SELECT ... JOIN flow ...)" in about a second for 500 rows
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT p.invoice_flow_id, " + FACTS + " FROM pes_pj p JOIN flow f "
                + "ON f.id = p.invoice_flow_id WHERE p.pes_flow_id = ? AND f.status = ?")) {
            q.setString(1, pesFlowId);
            q.setString(2, from.name());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    moved.add(transition(rs, rs.getString(1), from, to, now));
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ev = c.prepareStatement("INSERT INTO flow_event (flow_id, at, status, detail) VALUES (?, ?, ?, ?)");
             PreparedStatement ack = ackOk == null ? null : c.prepareStatement(
                     "UPDATE pes_pj SET ack_ok = ? WHERE ack_ok IS NULL AND invoice_flow_id = ?");
             PreparedStatement up = c.prepareStatement("UPDATE flow SET status = ?, updated_at = ?, reason_layer = ?, "
                     + "reason_rule = ?, reason_location = ?, reason_message = ? WHERE id = ? AND status = ?")) {
            for (String id : ids) {
                ev.setString(1, id);
                ev.setObject(2, now);
                ev.setString(3, to.name());
                ev.setString(4, truncate(detail, 2000));
                ev.addBatch();
                if (ack != null) {
                    ack.setBoolean(1, ackOk);
                    ack.setString(2, id);
                    ack.addBatch();
                }
                addMove(up, id, from, to, why, now);
            }
            ev.executeBatch();
            if (ack != null) {
                ack.executeBatch();
            }
            up.executeBatch();
        }
    }

    /**
     * Each PJ the acquittement names: its item recorded and its invoice moved, in one round trip per
     * statement kind for the whole flow (several nodes share the database). An IdUnique the flow
     * does not carry is skipped; an invoice named twice moves once.
     */
    private static void acknowledgePjs(Connection c, String pesFlowId, List<PjOutcome> pjs, OffsetDateTime now,
                                       List<Transition> transitions) throws SQLException {
        Map<String, String> invoiceOf = new HashMap<>();
        // the invoices' facts come with the same read, for the metrics (their transitions, SENT → status)
        Map<String, Transition> sentOf = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT p.id_unique, p.invoice_flow_id, " + FACTS
                + " FROM pes_pj p JOIN flow f ON f.id = p.invoice_flow_id WHERE p.pes_flow_id = ?")) {
            q.setString(1, pesFlowId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    invoiceOf.put(rs.getString(1), rs.getString(2));
                    sentOf.put(rs.getString(2), transition(rs, rs.getString(2), FlowStatus.SENT, FlowStatus.SENT, now));
                }
            }
        }
        List<PjOutcome> named = pjs.stream().filter(pj -> invoiceOf.containsKey(pj.idUnique())).toList();
        if (named.isEmpty()) {
            return;
        }
        try (PreparedStatement ack = c.prepareStatement("UPDATE pes_pj SET ack_ok = ?, ack_detail = ? WHERE invoice_flow_id = ?");
             PreparedStatement up = c.prepareStatement("UPDATE flow SET status = ?, updated_at = ?, reason_layer = ?, "
                     + "reason_rule = ?, reason_location = ?, reason_message = ? WHERE id = ? AND status = ?")) {
            for (PjOutcome pj : named) {
                String invoice = invoiceOf.get(pj.idUnique());
                ack.setBoolean(1, pj.ok());
                ack.setString(2, truncate(pj.detail(), 2000));
                ack.setString(3, invoice);
                ack.addBatch();
                addMove(up, invoice, FlowStatus.SENT, pj.status(), pj.ok() ? null : pj.why(), now);
            }
            ack.executeBatch();
            int[] moved = up.executeBatch();
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO flow_event (flow_id, at, status, detail) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < named.size(); i++) {
                    if (moved[i] == 0) {
                        continue; // named twice: moved by its first item
                    }
                    PjOutcome pj = named.get(i);
                    Transition t = sentOf.get(invoiceOf.get(pj.idUnique()));
                    transitions.add(new Transition(t.flowId(), t.from(), pj.status(), false, t.communeId(), t.channel(),
                            t.format(), t.receivedAt(), t.since(), now));
                    ev.setString(1, invoiceOf.get(pj.idUnique()));
                    ev.setObject(2, now);
                    ev.setString(3, pj.status().name());
                    ev.setString(4, truncate(pj.detail(), 2000));
                    ev.addBatch();
                }
                ev.executeBatch();
            }
        }
    }

    /** The flow columns (alias f) a batched move reads along with the ids, to tell its transitions. */
    private static final String FACTS = "f.commune_id, f.channel, f.format, f.received_at, f.updated_at";

    /** An invoice's transition from the row read with {@link #FACTS}. */
    private static Transition transition(ResultSet rs, String invoiceFlowId, FlowStatus from, FlowStatus to,
                                         OffsetDateTime now) throws SQLException {
        return new Transition(invoiceFlowId, from, to, false, rs.getString("commune_id"), rs.getString("channel"),
                rs.getString("format"), utc(rs.getObject("received_at", OffsetDateTime.class)),
                utc(rs.getObject("updated_at", OffsetDateTime.class)), now);
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** One invoice's move, batched on "UPDATE flow SET status, updated_at, reason_* WHERE id AND status". */
    private static void addMove(PreparedStatement up, String invoiceFlowId, FlowStatus from, FlowStatus to, Rejection why,
                                OffsetDateTime now) throws SQLException {
        up.setString(1, to.name());
        up.setObject(2, now);
        up.setString(3, why == null ? null : why.layer());
        up.setString(4, why == null ? null : why.rule());
        up.setString(5, why == null ? null : why.location());
        up.setString(6, why == null ? null : truncate(why.message(), 2000));
        up.setString(7, invoiceFlowId);
        up.setString(8, from.name());
        up.addBatch();
    }

    private static int exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private static String first(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
