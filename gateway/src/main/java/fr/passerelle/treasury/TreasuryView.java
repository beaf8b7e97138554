package fr.passerelle.treasury;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.passerelle.flow.Flow;

/**
 * The treasury side of a flow as the API shows it: its transmission (where, under which name, the
 * step reached, attempts, last error), the acquittements and PES_Retour received for it with their
 * per-item detail, what the acquittement said of each PJ (for a PES flow) or of the invoice's own
 * PJ (for an invoice), and the piece states.
 */
public final class TreasuryView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TransmissionStore transmissions;

    public TreasuryView(TransmissionStore transmissions) {
        this.transmissions = transmissions;
    }

    public Optional<Map<String, Object>> of(Flow flow) {
        Map<String, Object> t = new LinkedHashMap<>();
        transmissions.find(flow.id()).ifPresent(tx -> t.put("transmission", transmissionJson(tx)));
        List<Map<String, Object>> returns = transmissions.returnsOf(flow.id()).stream().map(TreasuryView::returnJson)
                .toList();
        if (!returns.isEmpty()) {
            t.put("returns", returns);
        }
        List<Map<String, Object>> pjs = transmissions.pjAcksOfFlow(flow.id()).stream().map(TreasuryView::pjJson).toList();
        if (!pjs.isEmpty()) {
            t.put("pj", pjs);
        }
        transmissions.pjAckOfInvoice(flow.id()).ifPresent(pj -> {
            if (pj.ok() != null) {
                t.put("acquit", pjJson(pj));
            }
        });
        List<Map<String, Object>> states = transmissions.pieceStates(flow.id()).stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exercice", s.exercice());
            m.put("idBord", s.idBord());
            m.put("idPce", s.idPce());
            m.put("etat", s.etat());
            m.put("label", s.etatLabel());
            m.put("date", s.etatDate() == null ? null : s.etatDate().toString());
            m.put("detail", s.detail());
            return m;
        }).toList();
        if (!states.isEmpty()) {
            t.put("pieceStates", states);
        }
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    public static Map<String, Object> transmissionJson(TransmissionStore.Transmission tx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flowId", tx.flowId());
        m.put("commune", tx.communeId());
        m.put("nomFic", tx.nomFic());
        m.put("endpoint", tx.endpoint());
        m.put("remoteName", tx.remoteName());
        m.put("state", tx.state().name());
        m.put("attempts", tx.attempts());
        m.put("lastError", tx.lastError());
        m.put("startedAt", tx.startedAt() == null ? null : tx.startedAt().toString());
        m.put("sentAt", tx.sentAt() == null ? null : tx.sentAt().toString());
        return m;
    }

    private static Map<String, Object> returnJson(TransmissionStore.ReturnFile r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fileName", r.fileName());
        m.put("kind", r.kind());
        m.put("endpoint", r.endpoint());
        m.put("receivedAt", r.receivedAt().toString());
        m.put("outcome", r.outcome());
        m.put("reason", r.reason());
        if (r.detail() != null) {
            try {
                m.put("content", JSON.readTree(r.detail()));
            } catch (JsonProcessingException e) {
                m.put("content", r.detail());
            }
        }
        return m;
    }

    private static Map<String, Object> pjJson(TransmissionStore.PjAck pj) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idUnique", pj.idUnique());
        m.put("invoice", "/api/v1/flows/" + pj.invoiceFlowId());
        m.put("accepted", pj.ok());
        m.put("detail", pj.detail());
        return m;
    }
}
