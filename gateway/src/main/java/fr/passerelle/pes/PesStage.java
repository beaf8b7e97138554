package fr.passerelle.pes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.xml.stream.XMLStreamException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;
import fr.passerelle.intake.Format;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.validation.ReportJson;

/**
 * The PES stage. Packing: the VALIDATED invoices of each commune become PJ of a PES_Aller
 * carrying PES_PJ, batched by count, size and waiting time, one commune per flow; IdUnique and
 * NomFic come from durable counters and are never reused; the flow is written streaming, checked
 * against the official XSD, kept, and recorded PACKED with its invoices in one transaction.
 * Relaying: a PES_Aller posted by a commune's accounting software is checked as a tiers de
 * télétransmission does and becomes PACKED (or REJECTED with every problem in its report).
 */
public final class PesStage {

    private static final Logger LOG = LoggerFactory.getLogger(PesStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final FlowStore flows;
    private final PesRegistry pesRegistry;
    private final OriginalStore originals;
    private final Quarantine quarantine;
    private final TenantRegistry tenants;
    private final PjBatcher batcher;
    private final RelayCheck relayCheck;
    private final Path workDir;
    private final Clock clock;

    public PesStage(FlowStore flows, PesRegistry pesRegistry, OriginalStore originals, Quarantine quarantine, TenantRegistry tenants,
                    PjBatcher batcher, RelayCheck relayCheck, Path workDir, Clock clock) {
        this.flows = flows;
        this.pesRegistry = pesRegistry;
        this.originals = originals;
        this.quarantine = quarantine;
        this.tenants = tenants;
        this.batcher = batcher;
        this.relayCheck = relayCheck;
        this.workDir = workDir;
        this.clock = clock;
    }

    /** Builds the PES flows that are due now; answers their flow ids, for the signature queue. */
    public List<String> packDue() throws IOException {
        List<PjBatcher.Waiting> waiting = new ArrayList<>();
        for (Flow f : flows.validatedInvoices()) {
            if (f.communeId() != null && f.sha256() != null) {
                waiting.add(new PjBatcher.Waiting(f.communeId(), f.id(), f.size(), f.updatedAt().toInstant()));
            }
        }
        if (waiting.isEmpty()) {
            return List.of();
        }
        PjBatcher.Plan plan = batcher.plan(waiting, clock.instant());
        for (PjBatcher.Waiting w : plan.tooLarge()) {
            flows.transition(w.invoiceId(), FlowStore.only(FlowStatus.VALIDATED), FlowStatus.FAILED,
                    new Rejection("pes", "PES-PJ-SIZE", null, "La facture est trop volumineuse pour tenir dans un flux "
                            + "PES sous la limite de la plateforme de télétransmission : elle doit être transmise autrement."),
                    "facture trop volumineuse pour un flux PES");
        }
        List<String> built = new ArrayList<>();
        for (PjBatcher.Batch batch : plan.batches()) {
            Optional<Commune> commune = tenants.commune(batch.communeId());
            if (commune.isEmpty()) {
                continue; // a commune removed from tenants.yaml: its invoices wait, visible as VALIDATED
            }
            try {
                build(commune.get(), batch).ifPresent(built::add);
            } catch (IOException | RuntimeException e) {
                // one commune's broken batch (an original gone, a budget missing) never holds up the others
                LOG.error("PES flow of {} cannot be built: {}", batch.communeId(), e.toString());
                try {
                    fail(batch, "Le flux PES n'a pas pu être construit (" + e.getClass().getSimpleName()
                            + ") : l'exploitation est prévenue.");
                } catch (RuntimeException again) {
                    LOG.error("Invoices of {} left VALIDATED: {}", batch.communeId(), again.toString());
                }
            }
        }
        return built;
    }

    /**
     * The next NomFic of the day for the commune, skipping any its accounting software already
     * used under the same convention (a relayed PESALR2_<SIRET>_<yymmdd>_001, say).
     */
    /**
     * The name a relayed flow goes to the treasury under: its NomFic when it follows the
     * PESALR2_<SIRET>_<yymmdd>_<counter> convention, else a number of the commune's NomFic counter,
     * drawn now so that a transmission resumed after a crash finds the same name.
     */
    private String transmissionFileName(Commune commune, String nomFic) {
        String bare = nomFic.endsWith(".xml") ? nomFic.substring(0, nomFic.length() - 4) : nomFic;
        if (bare.matches("PESALR2_(\\d{9}|\\d{14})_\\d{6}_\\d+")) {
            return PesNames.fileName(bare);
        }
        return PesNames.fileName(nextNomFic(commune, LocalDate.now(clock.withZone(PARIS))));
    }

    private String nextNomFic(Commune commune, LocalDate today) {
        String day = today.format(DateTimeFormatter.ofPattern("yyMMdd"));
        String nomFic;
        do {
            nomFic = PesNames.nomFic(commune.siret(), today, (int) pesRegistry.nextValue("nomfic:" + commune.id() + ":" + day));
        } while (pesRegistry.nomFicSeen(commune.id(), nomFic));
        return nomFic;
    }

    private Optional<String> build(Commune commune, PjBatcher.Batch batch) throws IOException {
        LocalDate today = LocalDate.now(clock.withZone(PARIS));
        String nomFic = nextNomFic(commune, today);
        List<PjInput> pjs = new ArrayList<>();
        List<PesRegistry.PjLink> links = new ArrayList<>();
        long nextId = pesRegistry.nextValues("idunique:" + commune.id(), batch.invoices().size());
        List<String> ids = batch.invoices().stream().map(PjBatcher.Waiting::invoiceId).toList();
        Map<String, Flow> invoices = flows.findAll(ids).stream().collect(Collectors.toMap(Flow::id, f -> f));
        Map<String, String> reports = flows.validationReports(ids);
        for (String id : ids) {
            Flow invoice = Optional.ofNullable(invoices.get(id)).orElseThrow();
            String idUnique = PesNames.idUnique(commune.siren(), nextId++);
            pjs.add(pj(invoice, reports.get(id), idUnique));
            links.add(new PesRegistry.PjLink(invoice.id(), idUnique, null));
        }
        Files.createDirectories(workDir);
        Path file = workDir.resolve(PesNames.fileName(nomFic));
        try {
            PesHeader header = PesHeader.forCommune(commune, commune.codBuds().get(0), today);
            PjFlowWriter.write(file, header, nomFic, pjs);
            XsdReport xsd = PesSchemas.validate(PesSchemas.aller(), file);
            if (!xsd.valid()) {
                // our own product is wrong: it never leaves; the invoices say why
                String why = xsd.errors().isEmpty() ? "invalide" : xsd.errors().get(0).toString();
                LOG.error("Built PES flow {} of {} is not valid against the XSD: {}", nomFic, commune.id(), why);
                fail(batch, "Le flux PES construit n'est pas conforme au schéma officiel (" + why + ") : l'exploitation "
                        + "est prévenue.");
                return Optional.empty();
            }
            OriginalStore.Stored stored;
            try (InputStream in = Files.newInputStream(file)) {
                stored = originals.store(in, Long.MAX_VALUE);
            }
            FlowStore.NewFlow pes = new FlowStore.NewFlow(commune.id(), stored.sha256(), PesNames.fileName(nomFic),
                    "PES_ALLER", "pes", "passerelle", stored.size(), FlowStatus.PACKED, null,
                    "flux PES_PJ " + nomFic + " construit : " + pjs.size() + " facture(s) (" + batch.reason() + ")");
            Optional<Flow> recorded = pesRegistry.recordPesFlow(pes, nomFic, links);
            if (recorded.isEmpty()) {
                LOG.info("PES flow {} not recorded: its invoices were packed meanwhile (another node)", nomFic);
                return Optional.empty();
            }
            LOG.info("PES flow {} of {} built with {} PJ ({} bytes)", nomFic, commune.id(), pjs.size(), stored.size());
            return Optional.of(recorded.get().id());
        } catch (IllegalArgumentException e) {
            // the commune's configuration does not fit the schema (IdPost, CodCol…): the message names it
            LOG.error("PES flow of {} cannot be built: {}", commune.id(), e.getMessage());
            fail(batch, "Le flux PES ne peut pas être construit : " + e.getMessage());
            return Optional.empty();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void fail(PjBatcher.Batch batch, String message) {
        for (PjBatcher.Waiting w : batch.invoices()) {
            flows.transition(w.invoiceId(), FlowStore.only(FlowStatus.VALIDATED), FlowStatus.FAILED,
                    new Rejection("pes", "PES-BUILD", null, message), message);
        }
    }

    /** The invoice as a PJ: its original as received, described by its number, date and supplier. */
    private PjInput pj(Flow invoice, String report, String idUnique) {
        JsonNode summary = Optional.ofNullable(report).map(PesStage::parse).map(r -> r.path("summary"))
                .orElse(JSON.missingNode());
        String number = text(summary, "number");
        LocalDate date = null;
        try {
            date = text(summary, "issueDate") == null ? null : LocalDate.parse(text(summary, "issueDate"));
        } catch (DateTimeParseException e) {
            // no date in the description then
        }
        boolean pdf = invoice.format().endsWith("PDF");
        String name = invoice.fileName();
        if (name.length() > 100 || !name.matches(".+\\.[A-Za-z0-9]{2,4}")) {
            name = "facture-" + invoice.id().substring(0, 8) + (pdf ? ".pdf" : ".xml");
        }
        Path original = originals.path(invoice.sha256());
        return new PjInput(idUnique, name, PjInput.TYPE_DEPENSE, PjInput.invoiceDescription(number, date,
                text(summary, "sellerName")), pdf ? "application/pdf" : "text/xml", () -> Files.newInputStream(original),
                invoice.size());
    }

    /**
     * Checks a PES_Aller posted by a commune (the message is its flow id): PACKED when it may be
     * signed, REJECTED with every problem otherwise. An acquittement or a PES_Retour posted by a
     * commune is refused: those come from the treasury, to the gateway, never the other way.
     */
    public Flow relay(String flowId) throws IOException {
        Optional<Flow> found = flows.find(flowId);
        if (found.isEmpty()) {
            LOG.warn("PES message for unknown flow {}: ignored", flowId);
            return null;
        }
        Flow flow = found.get();
        if (flow.status() != FlowStatus.RECEIVED) {
            return flow;
        }
        if (!"PES_ALLER".equals(flow.format())) {
            return refuse(flow, List.of(new Rejection("pes", "PES-NOT-ALLER", null, "Ce fichier est un "
                    + Format.valueOf(flow.format()).label() + " : c'est le Trésor qui l'envoie, la passerelle le "
                    + "reçoit elle-même. Seul un flux PES_Aller peut être transmis par la commune.")));
        }
        Commune commune = tenants.commune(flow.communeId()).orElse(null);
        if (commune == null) {
            flows.transition(flow.id(), FlowStore.only(FlowStatus.RECEIVED), FlowStatus.FAILED, new Rejection("pes",
                    "PES-COMMUNE", null, "La commune " + flow.communeId() + " n'est plus configurée sur la plateforme : "
                    + "le flux ne peut pas être relayé."), "commune inconnue");
            return flows.find(flow.id()).orElseThrow();
        }
        Path file = originals.path(flow.sha256());
        List<Rejection> problems = relayCheck.check(file, commune, nomFic -> pesRegistry.nomFicSeen(commune.id(), nomFic),
                idUnique -> pesRegistry.idUniqueKnown(commune.id(), idUnique));
        PesFacts facts = null;
        if (problems.isEmpty()) {
            try {
                facts = PesFacts.read(file);
            } catch (XMLStreamException e) {
                problems = List.of(new Rejection("pes", "PES-XML", null, "Le flux ne peut pas être lu : " + e.getMessage()));
            }
        }
        if (problems.isEmpty()) {
            List<String> idUniques = facts.pjIdUniques().stream().map(PesFacts.Value::value).toList();
            String nomFic = PesFacts.valueOf(facts.nomFic());
            if (pesRegistry.acceptRelay(flow.id(), commune.id(), nomFic, transmissionFileName(commune, nomFic), idUniques,
                    facts.pieceRefs().stream().map(r -> new PesRegistry.PieceRef(r.domain(), r.idPce(), r.idUnique()))
                            .toList(), "flux PES_Aller " + nomFic
                    + " contrôlé : " + facts.bordereaux().size() + " bordereau(x), " + idUniques.size() + " PJ")) {
                return flows.find(flow.id()).orElseThrow();
            }
            if (!pesRegistry.nomFicSeen(commune.id(), nomFic)) {
                return flows.find(flow.id()).orElseThrow(); // moved meanwhile by a redelivery
            }
            problems = List.of(new Rejection("pes", "PES-NOMFIC-DOUBLON", "NomFic", "Le NomFic « " + nomFic
                    + " » est déjà celui d'un flux de la commune : un flux n'est jamais transmis deux fois."));
        }
        return refuse(flow, problems);
    }

    private Flow refuse(Flow flow, List<Rejection> problems) {
        Rejection first = problems.get(0);
        String report = ReportJson.refusal(flow.fileName(), flow.format(), "pes", problems);
        if (flows.recordValidation(flow.id(), FlowStatus.REJECTED, first, "flux PES refusé : " + first.summary(),
                "completed", "rejected", null, report)) {
            quarantine.put(flows.find(flow.id()).orElseThrow());
            LOG.info("PES flow {} of {} refused: {}", flow.id(), flow.communeId(), first.summary());
        }
        return flows.find(flow.id()).orElseThrow();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
