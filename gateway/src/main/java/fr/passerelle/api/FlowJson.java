package fr.passerelle.api;

import java.util.LinkedHashMap;
import java.util.Map;

import fr.passerelle.document.Rejection;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowEvent;

/** A flow and its history events as the API shows them (the JSON fields are the API's contract). */
final class FlowJson {

    private FlowJson() {
    }

    static Map<String, Object> flow(Flow f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("commune", f.communeId());
        m.put("fileName", f.fileName());
        m.put("format", f.format());
        m.put("channel", f.channel());
        m.put("sender", f.sender());
        m.put("size", f.size());
        m.put("sha256", f.sha256());
        m.put("status", f.status().name());
        Rejection r = f.rejection();
        if (r != null) {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("layer", r.layer());
            reason.put("rule", r.rule());
            reason.put("location", r.location());
            reason.put("message", r.message());
            m.put("reason", reason);
        }
        m.put("receivedAt", f.receivedAt());
        m.put("updatedAt", f.updatedAt());
        m.put("original", "/api/v1/flows/" + f.id() + "/original");
        return m;
    }

    static Map<String, Object> event(FlowEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at());
        m.put("status", e.status().name());
        m.put("detail", e.detail());
        return m;
    }
}
