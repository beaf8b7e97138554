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

    /** Pulled already, or refused by Chorus Pro for good: not asked for again. */
    public boolean known(long idFacture) {
        return !jdbc.queryForList("SELECT 1 FROM chorus_invoice WHERE id_facture = ? UNION ALL "
                + "SELECT 1 FROM chorus_pull_failure WHERE id_facture = ?", Integer.class, idFacture, idFacture).isEmpty();
    }

    /** An invoice Chorus Pro would not hand over (413, business error): kept for the operator. */
    public record PullFailure(long idFacture, String communeId, String numeroFacture, String error, OffsetDateTime at) {
    }

    public void recordPullFailure(long idFacture, String communeId, String numeroFacture, String error) {
        try {
            jdbc.update("INSERT INTO chorus_pull_failure (id_facture, commune_id, numero_facture, error, at) "
                    + "VALUES (?, ?, ?, ?, ?)", idFacture, communeId, truncate(numeroFacture, 100), truncate(error, 1000),
                    now());
        } catch (DuplicateKeyException e) {
            // another node recorded it
        }
    }

    public List<PullFailure> pullFailures() {
        return jdbc.query("SELECT id_facture, commune_id, numero_facture, error, at FROM chorus_pull_failure "
                        + "ORDER BY at", (rs, n) -> new PullFailure(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), at(rs.getTimestamp(5))));
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

    /** Nothing to send now: looked at again then (a PES_Retour may come), without counting a failure. */
    public void recheckAt(long idFacture, OffsetDateTime next) {
        jdbc.update("UPDATE chorus_invoice SET next_push_at = ? WHERE id_facture = ?", Timestamp.from(next.toInstant()),
                idFacture);
    }

    /** A push that could not reach Chorus Pro: the invoice waits its back-off. */
    public void pushFailed(long idFacture, OffsetDateTime nextAttempt) {
        jdbc.update("UPDATE chorus_invoice SET push_failures = push_failures + 1, next_push_at = ? WHERE id_facture = ?",
                Timestamp.from(nextAttempt.toInstant()), idFacture);
    }

    /** A mandate that carries an invoice's PJ: its number (IdPce), and whether the treasury says it is paid. */
    public record Mandate(String idPce, boolean paid) {
    }

    /**
     * The invoice's mandate: as a PES_Retour states it (its EtatPce; 05 soldé is paid), for the
     * invoice's PJ or for the piece of a relayed PES_Aller that references that PJ; else as a relayed
     * PES_Aller of the commune, acknowledged by the treasury, references its PJ (PJRef).
     */
    public Optional<Mandate> mandate(String invoiceFlowId) {
        Optional<Mandate> stated = jdbc.query("SELECT id_pce, etat FROM piece_state WHERE invoice_flow_id = ? "
                        + "AND id_pce IS NOT NULL ORDER BY id DESC",
                (rs, n) -> new Mandate(rs.getString(1), "05".equals(rs.getString(2))), invoiceFlowId).stream().findFirst();
        if (stated.isPresent()) {
            return stated;
        }
        // the PES_Retour names the relayed flow's piece, which references the invoice's PJ
        Optional<Mandate> ofRelayedPiece = jdbc.query("SELECT ps.id_pce, ps.etat FROM piece_state ps "
                        + "JOIN pes_piece_pj m ON m.flow_id = ps.flow_id AND m.id_pce = ps.id_pce "
                        + "JOIN pes_pj p ON p.id_unique = m.id_unique AND p.commune_id = ps.commune_id "
                        + "WHERE p.invoice_flow_id = ? ORDER BY ps.id DESC",
                (rs, n) -> new Mandate(rs.getString(1), "05".equals(rs.getString(2))), invoiceFlowId).stream().findFirst();
        if (ofRelayedPiece.isPresent()) {
            return ofRelayedPiece;
        }
        return jdbc.query("SELECT m.id_pce FROM pes_pj p JOIN pes_piece_pj m ON m.id_unique = p.id_unique "
                        + "JOIN flow r ON r.id = m.flow_id WHERE p.invoice_flow_id = ? AND r.commune_id = p.commune_id "
                        + "AND r.status = 'ACKNOWLEDGED' AND m.domain = 'PES_DepenseAller' ORDER BY r.updated_at",
                (rs, n) -> new Mandate(rs.getString(1), false), invoiceFlowId).stream().findFirst();
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
        int updated = jdbc.update("UPDATE chorus_watermark SET last_poll_at = ?, last_error = ? WHERE commune_id = ?",
                now, truncate(error, 1000), communeId);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO chorus_watermark (commune_id, since, last_poll_at, last_error) VALUES (?, ?, ?, ?)",
                        communeId, mark, now, truncate(error, 1000));
            } catch (DuplicateKeyException e) {
                polled(communeId, since, error);
            }
            return;
        }
        jdbc.update("UPDATE chorus_watermark SET since = ? WHERE commune_id = ? AND since < ?", mark, communeId, mark);
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
