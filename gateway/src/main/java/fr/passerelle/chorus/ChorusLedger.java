package fr.passerelle.chorus;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the gateway remembers of Chorus Pro, in the shared database: each invoice pulled (its
 * idFacture once, whatever the node, with the flow it became), each status pushed and Chorus Pro's
 * answer, and each commune's search watermark with its last poll.
 */
public final class ChorusLedger {

    public record PulledInvoice(long idFacture, String communeId, String flowId, String numeroFacture,
                                OffsetDateTime pulledAt, int pushFailures) {
    }

    public record StatusPushed(long idFacture, String statut, String motif, String numeroDPMandat, String outcome,
                               Integer codeRetour, String answer, OffsetDateTime at) {
    }

    public record Watermark(String communeId, OffsetDateTime since, OffsetDateTime lastPollAt, String lastError) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ChorusLedger(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    public boolean known(long idFacture) {
        return !jdbc.queryForList("SELECT 1 FROM chorus_invoice WHERE id_facture = ?", Integer.class, idFacture)
                .isEmpty();
    }

    /** Records a pulled invoice; false when another node (or an earlier attempt) recorded it first. */
    public boolean recordPulled(long idFacture, String communeId, String flowId, String numeroFacture) {
        try {
            jdbc.update("INSERT INTO chorus_invoice (id_facture, commune_id, flow_id, numero_facture, pulled_at) "
                    + "VALUES (?, ?, ?, ?, ?)", idFacture, communeId, flowId, truncate(numeroFacture, 100), now());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The flow a pulled invoice became. */
    public Optional<String> flowOf(long idFacture) {
        return jdbc.queryForList("SELECT flow_id FROM chorus_invoice WHERE id_facture = ?", String.class, idFacture)
                .stream().findFirst();
    }

    public Optional<PulledInvoice> forFlow(String flowId) {
        return jdbc.query("SELECT id_facture, commune_id, flow_id, numero_facture, pulled_at, push_failures "
                + "FROM chorus_invoice WHERE flow_id = ?", (rs, n) -> pulled(rs), flowId).stream().findFirst();
    }

    /**
     * Pulled invoices whose flow reached a state Chorus Pro should hear of (refused, acknowledged by
     * the treasury) and whose back-off is over; the caller works out what is still to send.
     */
    public List<PulledInvoice> duePushes(int limit) {
        return jdbc.query("SELECT i.id_facture, i.commune_id, i.flow_id, i.numero_facture, i.pulled_at, "
                        + "i.push_failures FROM chorus_invoice i JOIN flow f ON f.id = i.flow_id "
                        + "WHERE f.status IN ('REJECTED', 'ACKNOWLEDGED') AND (i.next_push_at IS NULL OR i.next_push_at <= ?) "
                        + "ORDER BY i.id_facture FETCH FIRST " + limit + " ROWS ONLY",
                (rs, n) -> pulled(rs), now());
    }

    public List<StatusPushed> statuses(long idFacture) {
        return jdbc.query("SELECT id_facture, statut, motif, numero_dp_mandat, outcome, code_retour, answer, at "
                        + "FROM chorus_status WHERE id_facture = ? ORDER BY id",
                (rs, n) -> new StatusPushed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), (Integer) rs.getObject(6), rs.getString(7), at(rs.getTimestamp(8))), idFacture);
    }

    public void recordStatus(long idFacture, String statut, String motif, String numeroDPMandat, String outcome,
                             Integer codeRetour, String answer) {
        jdbc.update("INSERT INTO chorus_status (id_facture, statut, motif, numero_dp_mandat, outcome, code_retour, "
                        + "answer, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", idFacture, statut, motif, numeroDPMandat,
                outcome, codeRetour, truncate(answer, 1000), now());
        jdbc.update("UPDATE chorus_invoice SET push_failures = 0, next_push_at = NULL WHERE id_facture = ?", idFacture);
    }

    /** A push that could not reach Chorus Pro: the invoice waits its back-off. */
    public void pushFailed(long idFacture, OffsetDateTime nextAttempt) {
        jdbc.update("UPDATE chorus_invoice SET push_failures = push_failures + 1, next_push_at = ? WHERE id_facture = ?",
                Timestamp.from(nextAttempt.toInstant()), idFacture);
    }

    /** The mandate of a pulled invoice as the treasury's PES_Retour gave it: its number and state, or none. */
    public Optional<String[]> mandate(String invoiceFlowId) {
        return jdbc.query("SELECT id_pce, etat FROM piece_state WHERE invoice_flow_id = ? ORDER BY id DESC",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, invoiceFlowId).stream().findFirst();
    }

    public Optional<Watermark> watermark(String communeId) {
        return jdbc.query("SELECT commune_id, since, last_poll_at, last_error FROM chorus_watermark WHERE commune_id = ?",
                (rs, n) -> new Watermark(rs.getString(1), at(rs.getTimestamp(2)), at(rs.getTimestamp(3)),
                        rs.getString(4)), communeId).stream().findFirst();
    }

    public List<Watermark> watermarks() {
        return jdbc.query("SELECT commune_id, since, last_poll_at, last_error FROM chorus_watermark ORDER BY commune_id",
                (rs, n) -> new Watermark(rs.getString(1), at(rs.getTimestamp(2)), at(rs.getTimestamp(3)),
                        rs.getString(4)));
    }

    /** A poll done: the watermark never goes back (two nodes may poll at once). */
    public void polled(String communeId, OffsetDateTime since, String error) {
        Timestamp now = now();
        Timestamp mark = Timestamp.from(since.toInstant());
        int updated = jdbc.update("UPDATE chorus_watermark SET since = CASE WHEN since < ? THEN ? ELSE since END, "
                + "last_poll_at = ?, last_error = ? WHERE commune_id = ?", mark, mark, now, truncate(error, 1000), communeId);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO chorus_watermark (commune_id, since, last_poll_at, last_error) VALUES (?, ?, ?, ?)",
                        communeId, mark, now, truncate(error, 1000));
            } catch (DuplicateKeyException e) {
                polled(communeId, since, error);
            }
        }
    }

    private PulledInvoice pulled(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new PulledInvoice(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                at(rs.getTimestamp(5)), rs.getInt(6));
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static OffsetDateTime at(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
