package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * What the gateway must remember of the PES flows it built or relayed, so that the treasury never
 * sees a NomFic or an IdUnique twice: NomFic per commune, PJ links between invoices and PES flows,
 * IdUniques of relayed flows, and the durable counters they are drawn from. Where a record belongs
 * to a flow's transition, it is written in the flow store's transaction for that transition.
 */
public final class PesRegistry {

    private final DataSource dataSource;
    private final FlowStore flows;

    public PesRegistry(DataSource dataSource, FlowStore flows) {
        this.dataSource = dataSource;
        this.flows = flows;
    }

    /** A piece (mandat, titre) of a relayed flow and the PJ it references by IdUnique. */
    public record PieceRef(String domain, String idPce, String idUnique) {
    }

    /** An invoice that became a PJ: its IdUnique, and the PES flow that carries it. */
    public record PjLink(String invoiceFlowId, String idUnique, String pesFlowId) {
    }

    /**
     * The next value of a counter that never goes back (IdUnique, NomFic sequences): several nodes
     * may ask at once; each value is given once.
     */
    public long nextValue(String counter) {
        return nextValues(counter, 1);
    }

    /** Reserves n consecutive values in one transaction (a PES batch's IdUniques); answers the first. */
    public long nextValues(String counter, int n) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long value;
                    try (PreparedStatement up = c.prepareStatement("UPDATE counter SET current_value = current_value + ? WHERE counter_name = ?")) {
                        up.setLong(1, n);
                        up.setString(2, counter);
                        if (up.executeUpdate() == 0) {
                            try (PreparedStatement in = c.prepareStatement("INSERT INTO counter (counter_name, current_value) VALUES (?, ?)")) {
                                in.setString(1, counter);
                                in.setLong(2, n);
                                in.executeUpdate();
                            }
                        }
                    }
                    try (PreparedStatement get = c.prepareStatement("SELECT current_value FROM counter WHERE counter_name = ?")) {
                        get.setString(1, counter);
                        try (ResultSet rs = get.executeQuery()) {
                            rs.next();
                            value = rs.getLong(1);
                        }
                    }
                    c.commit();
                    return value - n + 1;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt >= 3) {
                        throw e; // the first insert raced with another node's: the update wins next time
                    }
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new FlowStoreException("Cannot advance counter " + counter, e);
            }
        }
    }

    /**
     * Records a PES flow built from invoices, in one transaction: the new flow (PACKED), its
     * NomFic, and every invoice moved VALIDATED → PACKED with its IdUnique. Empty when one of
     * the invoices was packed meanwhile (another node): nothing is written then.
     */
    public Optional<Flow> recordPesFlow(FlowStore.NewFlow pes, String nomFic, List<PjLink> pjs) {
        List<FlowStore.Moved> invoices = pjs.stream().map(pj -> new FlowStore.Moved(pj.invoiceFlowId(),
                "pièce jointe " + pj.idUnique() + " du flux PES " + nomFic)).toList();
        return flows.receiveBuiltFrom(pes, invoices, FlowStatus.VALIDATED, FlowStatus.PACKED,
                "Cannot record PES flow " + nomFic, (c, pesFlowId) -> {
                    registerNomFic(c, pes.communeId(), nomFic, pesFlowId, nomFic + ".xml");
                    // one round trip for the whole batch (several nodes share the database)
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO pes_pj (invoice_flow_id, commune_id, "
                            + "id_unique, pes_flow_id) VALUES (?, ?, ?, ?)")) {
                        for (PjLink pj : pjs) {
                            insert.setString(1, pj.invoiceFlowId());
                            insert.setString(2, pes.communeId());
                            insert.setString(3, pj.idUnique());
                            insert.setString(4, pesFlowId);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                });
    }

    /**
     * A PES_Aller relayed from a commune's accounting software passed its checks: RECEIVED →
     * PACKED (ready to sign), its NomFic and the IdUniques of its PJ recorded, in one transaction.
     * False when the flow was not RECEIVED any more or its NomFic was taken meanwhile.
     */
    public boolean acceptRelay(String flowId, String communeId, String nomFic, String fileName, List<String> idUniques,
                               List<PieceRef> pieceRefs, String detail) {
        try {
            return flows.transition(flowId, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.PACKED, null, detail,
                    (c, now) -> {
                        registerNomFic(c, communeId, nomFic, flowId, fileName);
                        // one statement and one round trip for all the IdUniques, as recordPesFlow does
                        try (PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO pes_pj_known (commune_id, id_unique, flow_id) VALUES (?, ?, ?)")) {
                            for (String idUnique : idUniques) {
                                insert.setString(1, communeId);
                                insert.setString(2, idUnique);
                                insert.setString(3, flowId);
                                insert.addBatch();
                            }
                            insert.executeBatch();
                        }
                        // which mandate or titre references which PJ: the invoice's Chorus Pro status follows it
                        try (PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO pes_piece_pj (flow_id, domain, id_pce, id_unique) VALUES (?, ?, ?, ?)")) {
                            for (PieceRef ref : pieceRefs) {
                                insert.setString(1, flowId);
                                insert.setString(2, ref.domain());
                                insert.setString(3, ref.idPce());
                                insert.setString(4, ref.idUnique());
                                insert.addBatch();
                            }
                            insert.executeBatch();
                        }
                    });
        } catch (FlowStoreException e) {
            if (nomFicSeen(communeId, nomFic)) {
                return false;
            }
            throw e;
        }
    }

    private static void registerNomFic(Connection c, String communeId, String nomFic, String flowId, String fileName)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO pes_nomfic (commune_id, nom_fic, flow_id, file_name) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, communeId);
            insert.setString(2, nomFic);
            insert.setString(3, flowId);
            insert.setString(4, fileName);
            insert.executeUpdate();
        }
    }

    /** The name the flow goes to the treasury under, fixed when it was built or relayed. */
    public Optional<String> transmissionFileName(String flowId) {
        return flows.first("SELECT file_name FROM pes_nomfic WHERE flow_id = ?", rs -> rs.getString(1), flowId);
    }

    public boolean nomFicSeen(String communeId, String nomFic) {
        return flows.exists("SELECT 1 FROM pes_nomfic WHERE commune_id = ? AND nom_fic = ?", communeId, nomFic);
    }

    /** An IdUnique this commune already sent: as the PJ of an invoice packed here, or in a relayed flow. */
    public boolean idUniqueKnown(String communeId, String idUnique) {
        return flows.exists("SELECT 1 FROM pes_pj WHERE commune_id = ? AND id_unique = ?", communeId, idUnique)
                || flows.exists("SELECT 1 FROM pes_pj_known WHERE commune_id = ? AND id_unique = ?", communeId, idUnique);
    }

    /** The PJ an invoice became, if it was packed. */
    public Optional<PjLink> pjOf(String invoiceFlowId) {
        return flows.first("SELECT id_unique, pes_flow_id FROM pes_pj WHERE invoice_flow_id = ?",
                rs -> new PjLink(invoiceFlowId, rs.getString(1), rs.getString(2)), invoiceFlowId);
    }

    /** The NomFic of a PES flow (built or relayed). */
    public Optional<String> nomFicOf(String flowId) {
        return flows.first("SELECT nom_fic FROM pes_nomfic WHERE flow_id = ?", rs -> rs.getString(1), flowId);
    }
}
