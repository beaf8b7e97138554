package fr.passerelle.api;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.intake.Format;
import fr.passerelle.signature.PesDocumentException;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.SigningStage;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.treasury.TreasuryView;
import fr.passerelle.chorus.ChorusView;

/**
 * The flows API, read side: list flows, read one with its history, fetch its original, its
 * signed version and its verified signatures. A commune only ever sees its own flows (another
 * commune's flow is 404, not 403: its existence is not disclosed); an operator key sees all.
 */
public final class FlowApi {

    private final ApiRequests requests;
    private final FlowStore flows;
    private final PesRegistry pesRegistry;
    private final OriginalStore originals;
    private final TreasuryView treasury;
    private final ChorusView chorus;
    private final FlowRecovery recovery;

    public FlowApi(ApiRequests requests, FlowStore flows, PesRegistry pesRegistry, OriginalStore originals,
                   TreasuryView treasury, ChorusView chorus, FlowRecovery recovery) {
        this.requests = requests;
        this.flows = flows;
        this.pesRegistry = pesRegistry;
        this.originals = originals;
        this.treasury = treasury;
        this.chorus = chorus;
        this.recovery = recovery;
    }

    /** GET /api/v1/flows?status=&format=&from=&to=&stalled=true&commune=&limit=&offset= */
    public void list(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = requests.caller(exchange);
        String commune = requests.commune(caller, in);
        FlowStatus status = QueryParameters.enumParam(in, "status", FlowStatus.class);
        Format format = QueryParameters.enumParam(in, "format", Format.class);
        boolean stalled = QueryParameters.enumParam(in, "stalled", QueryParameters.Flag.class) == QueryParameters.Flag.TRUE;
        FlowQuery query = new FlowQuery(commune, status, format == null ? null : format.name(),
                QueryParameters.dateParam(in, "from", false), QueryParameters.dateParam(in, "to", true),
                stalled ? recovery.stalledSince() : null,
                QueryParameters.intParam(in, "limit", 100), QueryParameters.intParam(in, "offset", 0));
        List<Map<String, Object>> items = flows.list(query).stream().map(FlowJson::flow).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flows", items);
        body.put("count", items.size());
        body.put("limit", query.limit());
        body.put("offset", query.offset());
        ApiAnswers.json(exchange, 200, body);
    }

    /** GET /api/v1/flows/{id}: the flow and its history. */
    public void get(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        Map<String, Object> body = FlowJson.flow(flow);
        Optional<String> report = flows.validationReport(flow.id());
        if (report.isPresent()) {
            body.put("validation", ApiAnswers.parsed(report.get()));
        }
        pesJson(flow).ifPresent(pes -> body.put("pes", pes));
        treasury.of(flow).ifPresent(t -> body.put("treasury", t));
        chorus.of(flow).ifPresent(c -> body.put("chorusPro", c));
        body.put("history", flows.history(flow.id()).stream().map(FlowJson::event).toList());
        ApiAnswers.json(exchange, 200, body);
    }

    /** GET /api/v1/flows/{id}/original: the file exactly as it was received. */
    public void original(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        if (flow.sha256() == null || !Files.exists(originals.path(flow.sha256()))) {
            throw new ApiException(410, "original-not-kept", "L'original de ce flux n'a pas été conservé "
                    + "(fichier refusé avant stockage, par exemple trop volumineux).");
        }
        ApiAnswers.file(exchange, flow.fileName(), mediaType(flow.format()), originals.path(flow.sha256()));
    }

    /**
     * What the PES stage made of a flow: for an invoice, the IdUnique of its PJ (which the
     * commune's mandates reference as PJRef/IdUnique) and the PES flow carrying it; for a PES
     * flow, its NomFic and its signed version.
     */
    private Optional<Map<String, Object>> pesJson(Flow flow) {
        Map<String, Object> pes = new LinkedHashMap<>();
        pesRegistry.pjOf(flow.id()).ifPresent(pj -> {
            pes.put("idUnique", pj.idUnique());
            pes.put("flow", "/api/v1/flows/" + pj.pesFlowId());
            pesRegistry.nomFicOf(pj.pesFlowId()).ifPresent(nomFic -> pes.put("nomFic", nomFic));
        });
        pesRegistry.nomFicOf(flow.id()).ifPresent(nomFic -> pes.put("nomFic", nomFic));
        if (flows.artifact(flow.id(), SigningStage.SIGNED).isPresent()) {
            pes.put("signed", "/api/v1/flows/" + flow.id() + "/signed");
        }
        return pes.isEmpty() ? Optional.empty() : Optional.of(pes);
    }

    /** GET /api/v1/flows/{id}/signed: the signed PES flow, as it goes to the treasury. */
    public void signed(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        Optional<String> sha = flows.artifact(flow.id(), SigningStage.SIGNED);
        if (sha.isEmpty() || !Files.exists(originals.path(sha.get()))) {
            throw ApiException.notFound("Version signée du flux " + flow.id());
        }
        ApiAnswers.file(exchange, flow.fileName(), "application/xml", originals.path(sha.get()));
    }

    /** GET /api/v1/flows/{id}/signatures: every signature of the flow's signed version (else of its original), verified. */
    public void signatures(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        Optional<String> sha = flows.artifact(flow.id(), SigningStage.SIGNED);
        String file = sha.orElse(flow.sha256());
        if (file == null || !Files.exists(originals.path(file))) {
            throw ApiException.notFound("Contenu du flux " + flow.id());
        }
        VerificationReport report;
        try {
            report = new SignatureVerifier().verify(PesDocuments.parse(originals.path(file)), flow.fileName());
        } catch (PesDocumentException e) {
            throw new ApiException(422, "not-processable", "Ce flux n'est pas un document PES signable : "
                    + e.getMessage());
        }
        ApiAnswers.json(exchange, 200, report.toMap());
    }

    private Flow visibleFlow(Exchange exchange) {
        Caller caller = requests.caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        return flows.find(id == null ? "" : id).filter(f -> caller.canSee(f.communeId()))
                .orElseThrow(() -> ApiException.notFound("Flux " + id));
    }

    private static String mediaType(String format) {
        return switch (format) {
            case "FACTURX_PDF", "ZUGFERD1_PDF", "PDF" -> "application/pdf";
            case "UNKNOWN" -> "application/octet-stream";
            default -> "application/xml";
        };
    }
}
