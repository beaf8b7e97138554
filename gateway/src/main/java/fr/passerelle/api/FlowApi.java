package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowEvent;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.document.Rejection;
import fr.passerelle.intake.FileNames;
import fr.passerelle.intake.Format;
import fr.passerelle.intake.IntakeReceipt;
import fr.passerelle.intake.Submission;
import fr.passerelle.signature.PesDocumentException;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.SigningStage;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.validation.DeadlineValidator;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ReportJson;
import fr.passerelle.validation.ValidationReport;

/**
 * The flows API: post a file, list flows, read one with its history, fetch its original. A
 * commune only ever sees its own flows (another commune's flow is 404, not 403: its existence
 * is not disclosed); an operator key sees all. Every answer is JSON, errors included.
 */
public final class FlowApi {

    static final String CALLER = "passerelleCaller";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final ApiAuth auth;
    private final FlowStore flows;
    private final PesRegistry pesRegistry;
    private final OriginalStore originals;
    private final MultipartReader multipart;
    private final DeadlineValidator validator;
    private final TenantRegistry tenants;
    private final Path scratch;
    private final Duration maxWait;
    private final fr.passerelle.treasury.TreasuryView treasury;
    private final FlowRecovery recovery;
    /** Callers waiting for a verdict at once (see awaitJudgement). */
    static final int MAX_WAITERS = 8;
    private final java.util.concurrent.Semaphore waiters = new java.util.concurrent.Semaphore(MAX_WAITERS);
    /** The largest flow POST /api/v1/verify reads into memory. */
    static final int MAX_VERIFY_BYTES = 64 << 20;

    public FlowApi(ApiAuth auth, FlowStore flows, PesRegistry pesRegistry, OriginalStore originals, MultipartReader multipart,
                   DeadlineValidator validator, TenantRegistry tenants, Path scratch, Duration maxWait,
                   fr.passerelle.treasury.TreasuryView treasury, FlowRecovery recovery) {
        this.treasury = treasury;
        this.recovery = recovery;
        this.auth = auth;
        this.flows = flows;
        this.pesRegistry = pesRegistry;
        this.originals = originals;
        this.multipart = multipart;
        this.validator = validator;
        this.tenants = tenants;
        this.scratch = scratch;
        this.maxWait = maxWait;
    }

    /** POST /api/v1/flows: the file as the raw body (name in X-File-Name or ?name=) or as multipart "file". */
    public Submission submission(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = caller(exchange);
        waitParam(in); // a bad ?wait= is refused before the file is taken in, not after
        String communeId = communeParam(caller, in);
        if (communeId == null) {
            throw new ApiException(400, "commune-required", "Une clé d'exploitation doit préciser la commune "
                    + "destinataire (?commune=<id>).");
        }
        MultipartReader.Part file = postedFile(exchange);
        return new Submission(Submission.HTTP, caller.name(), communeId, file.fileName(), file.content());
    }

    /** The posted file: the multipart field "file", else the raw body named by X-File-Name (or ?name=). */
    private MultipartReader.Part postedFile(Exchange exchange) throws IOException {
        MultipartReader.Part part = multipart.filePart(exchange);
        if (part != null) {
            return part;
        }
        Message in = exchange.getMessage();
        String name = in.getHeader("X-File-Name", String.class);
        if (name == null) {
            name = in.getHeader("name", String.class);
        }
        InputStream body = in.getBody(InputStream.class);
        return new MultipartReader.Part(name, body == null ? InputStream.nullInputStream() : body);
    }

    /** The answer to a POST: 201 new flow, 200 same file already received, 422/413 refused. */
    public void receiptResponse(Exchange exchange) throws IOException {
        IntakeReceipt receipt = exchange.getMessage().getBody(IntakeReceipt.class);
        Duration wait = waitParam(exchange.getMessage());
        Flow flow = receipt.flow();
        if (!wait.isZero() && flow.status() == FlowStatus.RECEIVED) {
            flow = awaitJudgement(flow, wait);
        }
        Map<String, Object> body = flowJson(flow);
        body.put("duplicate", receipt.duplicate());
        if (!wait.isZero()) {
            Optional<String> report = flows.validationReport(flow.id());
            body.put("validation", report.isPresent() ? JSON.readTree(report.get()) : null);
        }
        int status;
        if (receipt.oversize()) {
            status = 413;
        } else if (flow.status() == FlowStatus.REJECTED) {
            status = 422;
        } else {
            status = receipt.duplicate() ? 200 : 201;
        }
        respond(exchange, status, body);
        exchange.getMessage().setHeader("Location", "/api/v1/flows/" + receipt.flow().id());
    }

    /**
     * ?wait=N (seconds, at most the configured limit): the caller waits for the validation
     * verdict; past that time the answer is the flow as it is, still RECEIVED.
     */
    private Duration waitParam(Message in) {
        int seconds = intParam(in, "wait", 0);
        if (seconds < 0) {
            throw new ApiException(400, "bad-parameter", "'wait' est un nombre de secondes positif.");
        }
        Duration asked = Duration.ofSeconds(seconds);
        return asked.compareTo(maxWait) > 0 ? maxWait : asked;
    }

    /**
     * Waits for the verdict, polling the flow store. Each waiter holds an HTTP worker: past
     * MAX_WAITERS callers are answered at once (the flow as it is), so that waiting callers never
     * starve the rest of the API.
     */
    private Flow awaitJudgement(Flow flow, Duration wait) {
        if (!waiters.tryAcquire()) {
            return flow;
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            Flow current = flow;
            while (current.status() == FlowStatus.RECEIVED && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50); // polling interval of the condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                current = flows.find(flow.id()).orElse(current);
            }
            return current;
        } finally {
            waiters.release();
        }
    }

    /** POST /api/v1/validate: the report on a file, nothing stored. ?allLayers=true runs every layer that can. */
    public void validate(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = caller(exchange);
        String communeId = communeParam(caller, in);
        MultipartReader.Part posted = postedFile(exchange);
        String name = posted.fileName();
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "validate-", ".bin");
        try {
            try (InputStream body = posted.content()) {
                Files.copy(body, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            boolean allLayers = "true".equalsIgnoreCase(in.getHeader("allLayers", String.class));
            ValidationReport report = judge(file, name == null ? "document" : FileNames.sanitise(name),
                    new InvoiceValidator.Options(allLayers, tenants, communeId));
            respond(exchange, 200, ReportJson.toMap(report));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** How long a /validate request waits for a free judge before its 503 (it holds an HTTP worker). */
    private static final Duration SEAT_WAIT = Duration.ofSeconds(5);

    /** The same judges as the queue's, within the same budget; all busy: 503, come back later. */
    private ValidationReport judge(Path file, String name, InvoiceValidator.Options options) {
        try {
            return validator.validate(file, name, options, SEAT_WAIT);
        } catch (DeadlineValidator.BusyException e) {
            throw new ApiException(503, "validation-busy", "Toutes les vérifications en cours occupent la plateforme : "
                    + "réessayez dans une minute.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "validation-busy", "La vérification a été interrompue (arrêt de la "
                    + "passerelle) : réessayez dans une minute.");
        }
    }

    /** GET /api/v1/flows?status=&format=&from=&to=&stalled=true&commune=&limit=&offset= */
    public void list(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = caller(exchange);
        String commune = communeParam(caller, in);
        FlowStatus status = enumParam(in, "status", FlowStatus.class);
        Format format = enumParam(in, "format", Format.class);
        FlowQuery query = new FlowQuery(commune, status, format == null ? null : format.name(),
                dateParam(in, "from", false), dateParam(in, "to", true),
                enumParam(in, "stalled", Flag.class) == Flag.TRUE ? recovery.stalledSince() : null,
                intParam(in, "limit", 100), intParam(in, "offset", 0));
        List<Map<String, Object>> items = flows.list(query).stream().map(FlowApi::flowJson).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flows", items);
        body.put("count", items.size());
        body.put("limit", query.limit());
        body.put("offset", query.offset());
        respond(exchange, 200, body);
    }

    /** GET /api/v1/flows/{id}: the flow and its history. */
    public void get(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        Map<String, Object> body = flowJson(flow);
        Optional<String> report = flows.validationReport(flow.id());
        if (report.isPresent()) {
            body.put("validation", JSON.readTree(report.get()));
        }
        pesJson(flow).ifPresent(pes -> body.put("pes", pes));
        treasury.of(flow).ifPresent(t -> body.put("treasury", t));
        body.put("history", flows.history(flow.id()).stream().map(FlowApi::eventJson).toList());
        respond(exchange, 200, body);
    }

    /** GET /api/v1/flows/{id}/original: the file exactly as it was received. */
    public void original(Exchange exchange) throws IOException {
        Flow flow = visibleFlow(exchange);
        if (flow.sha256() == null || !Files.exists(originals.path(flow.sha256()))) {
            throw new ApiException(410, "original-not-kept", "L'original de ce flux n'a pas été conservé "
                    + "(fichier refusé avant stockage, par exemple trop volumineux).");
        }
        download(exchange, flow.fileName(), mediaType(flow.format()), originals.path(flow.sha256()));
    }

    /** A stored file as the answer, named for the caller's disk; no request header echoed back. */
    private static void download(Exchange exchange, String fileName, String mediaType, Path file) throws IOException {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, mediaType);
        out.setHeader("Content-Disposition", ContentDisposition.attachment(fileName));
        out.setBody(Files.readAllBytes(file));
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
        download(exchange, flow.fileName(), "application/xml", originals.path(sha.get()));
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
        respond(exchange, 200, report.toMap());
    }

    /** POST /api/v1/verify: the signatures of a posted PES flow, verified; nothing stored. */
    public void verify(Exchange exchange) throws IOException {
        caller(exchange);
        MultipartReader.Part posted = postedFile(exchange);
        byte[] content;
        try (InputStream body = posted.content()) {
            content = body.readNBytes(MAX_VERIFY_BYTES + 1);
        }
        if (content.length > MAX_VERIFY_BYTES) {
            throw new ApiException(413, "too-large", "Le flux dépasse " + (MAX_VERIFY_BYTES >> 20) + " Mo : vérifiez-le "
                    + "avec la commande verify de la passerelle.");
        }
        String name = posted.fileName();
        VerificationReport report;
        try {
            report = new SignatureVerifier().verify(PesDocuments.parse(content, name), name);
        } catch (PesDocumentException e) {
            throw new ApiException(422, "not-processable", "Le fichier ne peut pas être lu comme un flux PES : "
                    + e.getMessage());
        }
        respond(exchange, 200, report.toMap());
    }

    /** Any failure of an API route: a JSON error, never a stack trace. */
    public void error(Exchange exchange) throws IOException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = 500;
        String code = "internal-error";
        String message = ApiProblem.INTERNAL_ERROR;
        if (failure instanceof ApiException api) {
            status = api.status();
            code = api.code();
            message = api.getMessage();
        } else if (failure instanceof jakarta.jms.JMSException || failure instanceof org.springframework.jms.JmsException) {
            status = 503;
            code = "queue-unavailable";
            message = "La file de traitement est momentanément indisponible : réessayez dans quelques minutes.";
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, ApiProblem.MEDIA_TYPE);
        out.setBody(ApiProblem.json(status, code, message));
    }

    private Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(CALLER, Caller.class);
        if (caller == null) {
            caller = auth.caller(exchange.getMessage());
            exchange.setProperty(CALLER, caller);
        }
        return caller;
    }

    /**
     * The commune a request is about: the caller's own, or for an operator ?commune= (null when
     * absent), which must be a commune of the platform: anything else is refused before the body
     * is looked at, so that nothing is stored for it.
     */
    private String communeParam(Caller caller, Message in) {
        if (!caller.isOperator()) {
            return caller.commune().id();
        }
        String id = in.getHeader("commune", String.class);
        if (id == null) {
            return null;
        }
        return tenants.commune(id).map(c -> c.id()).orElseThrow(() -> new ApiException(404, "unknown-commune",
                "Commune inconnue : aucune commune de la plateforme n'a l'identifiant demandé (?commune=). "
                        + "Rien n'a été enregistré."));
    }

    private Flow visibleFlow(Exchange exchange) {
        Caller caller = caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        return flows.find(id == null ? "" : id).filter(f -> caller.canSee(f.communeId()))
                .orElseThrow(() -> ApiException.notFound("Flux " + id));
    }

    static Map<String, Object> flowJson(Flow f) {
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

    private static Map<String, Object> eventJson(FlowEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at());
        m.put("status", e.status().name());
        m.put("detail", e.detail());
        return m;
    }

    /** Request headers (the API key among them) must never be echoed back: the answer starts clean. */
    static void respond(Exchange exchange, int status, Object body) throws IOException {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        out.setBody(JSON.writeValueAsBytes(body));
    }

    private static String mediaType(String format) {
        return switch (format) {
            case "FACTURX_PDF", "ZUGFERD1_PDF", "PDF" -> "application/pdf";
            case "UNKNOWN" -> "application/octet-stream";
            default -> "application/xml";
        };
    }

    /** A yes-or-no query parameter (?stalled=true). */
    private enum Flag { TRUE, FALSE }

    private static <E extends Enum<E>> E enumParam(Message in, String name, Class<E> type) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad-parameter", "Valeur inconnue pour '" + name + "' : " + value
                    + ". Valeurs possibles : " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static OffsetDateTime dateParam(Message in, String name, boolean endOfDay) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "bad-parameter", "Date illisible pour '" + name + "' : " + value
                    + " (attendu AAAA-MM-JJ ou un horodatage ISO 8601).");
        }
    }

    private static int intParam(Message in, String name, int fallback) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad-parameter", "Nombre attendu pour '" + name + "' : " + value);
        }
    }
}
