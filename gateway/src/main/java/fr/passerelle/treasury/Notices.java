package fr.passerelle.treasury;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.document.Rejection;

/**
 * The status changes a commune hears of (its webhook), as JSON: which flow (id, NomFic, file),
 * its new status, why, and for an acquittement the per-item detail.
 */
public final class Notices {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlowStore flows;
    private final PesRegistry pesRegistry;
    private final Clock clock;

    public Notices(FlowStore flows, PesRegistry pesRegistry, Clock clock) {
        this.flows = flows;
        this.pesRegistry = pesRegistry;
        this.clock = clock;
    }

    public String statusChange(String flowId, FlowStatus status, Rejection why, String message) {
        return statusChange(flowId, status, why, message, List.of());
    }

    public String statusChange(String flowId, FlowStatus status, Rejection why, String message, List<String> items) {
        Flow flow = flows.find(flowId).orElseThrow();
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("event", "flow.status");
        notice.put("flowId", flowId);
        notice.put("commune", flow.communeId());
        notice.put("nomFic", pesRegistry.nomFicOf(flowId).orElse(null));
        notice.put("fileName", flow.fileName());
        notice.put("status", status.name());
        notice.put("at", Instant.now(clock).toString());
        notice.put("message", message);
        if (why != null) {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("layer", why.layer());
            reason.put("rule", why.rule());
            reason.put("location", why.location());
            reason.put("message", why.message());
            notice.put("reason", reason);
        }
        if (!items.isEmpty()) {
            notice.put("items", items);
        }
        try {
            return JSON.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The commune a notice is for. */
    public static String communeOf(String noticeJson) {
        try {
            return JSON.readTree(noticeJson).path("commune").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
