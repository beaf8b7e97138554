package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.passerelle.document.Rejection;

/**
 * The report as JSON, with the field names other tools rely on: file, processing, verdict,
 * format, profile, summary, findings (layer, rule, severity, location, message, text).
 */
public final class ReportJson {

    /** More findings than this add nothing a reader can use; the count of the rest is kept. */
    static final int MAX_FINDINGS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    public static Map<String, Object> toMap(ValidationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file());
        m.put("processing", r.processing());
        if (r.processingError() != null) {
            m.put("processingError", r.processingError());
        }
        m.put("verdict", r.verdict());
        m.put("format", r.format());
        m.put("syntax", r.syntax());
        m.put("profile", r.profile());
        // the rule sets that judged it, with their versions: {"en16931": "1.3.16", "fr.ctc": "1.3.0", …}
        m.put("rules", r.rules());
        if (!r.relaxed().isEmpty()) {
            m.put("relaxed", r.relaxed().stream().map(ReportJson::relaxation).toList());
        }
        m.put("summary", r.summary() == null ? null : summary(r.summary()));
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (findings.size() == MAX_FINDINGS) {
                break;
            }
            findings.add(finding(f));
        }
        m.put("findings", findings);
        if (r.findings().size() > MAX_FINDINGS) {
            m.put("findingsOmitted", r.findings().size() - MAX_FINDINGS);
        }
        m.put("counts", Map.of("error", count(r, Severity.ERROR), "warning", count(r, Severity.WARNING),
                "info", count(r, Severity.INFO)));
        m.put("layers", r.layersRun());
        m.put("notes", r.notes());
        m.put("durationMs", r.durationMs());
        return m;
    }

    public static String toJson(ValidationReport r) {
        return write(toMap(r));
    }

    /**
     * The report of a file refused by another stage than validation (a relayed PES flow): the same
     * fields, every problem an error of that layer.
     */
    public static String refusal(String file, String format, String layer, List<Rejection> problems) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Rejection r : problems) {
            findings.add(finding(r.layer(), r.rule(), Severity.ERROR.id(), r.location(), r.message(), r.message()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("processing", ValidationReport.COMPLETED);
        m.put("verdict", ValidationReport.REJECTED);
        m.put("format", format);
        m.put("findings", findings);
        m.put("counts", Map.of("error", (long) problems.size(), "warning", 0L, "info", 0L));
        m.put("layers", List.of(layer));
        return write(m);
    }

    private static String write(Map<String, Object> report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report cannot be written as JSON", e);
        }
    }

    private static long count(ValidationReport r, Severity s) {
        return r.findings().stream().filter(f -> f.severity() == s).count();
    }

    private static Map<String, Object> finding(Finding f) {
        return finding(f.layer().id(), f.rule(), f.severity().id(), f.location(), f.message(), f.text());
    }

    private static Map<String, Object> finding(String layer, String rule, String severity, String location,
                                               String message, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layer);
        m.put("rule", rule);
        m.put("severity", severity);
        m.put("location", location);
        m.put("message", message);
        m.put("text", text);
        return m;
    }

    private static Map<String, Object> relaxation(ValidationReport.Relaxation x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", x.rule());
        m.put("policyRule", x.policyRule());
        m.put("by", x.by());
        m.put("commune", x.commune());
        m.put("findings", x.findings());
        return m;
    }

    private static Map<String, Object> summary(InvoiceSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", s.number());
        m.put("issueDate", s.issueDate());
        m.put("typeCode", s.typeCode());
        m.put("sellerName", s.sellerName());
        m.put("sellerIdentifiers", s.sellerIdentifiers());
        m.put("buyerName", s.buyerName());
        m.put("buyerIdentifiers", s.buyerIdentifiers());
        m.put("serviceCode", s.serviceCode());
        m.put("commitmentNumber", s.commitmentNumber());
        m.put("netTotal", s.netTotal());
        m.put("taxTotal", s.taxTotal());
        m.put("payableAmount", s.payableAmount());
        m.put("currency", s.currency());
        return m;
    }
}
