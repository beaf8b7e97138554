package fr.passerelle.chorus.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import fr.passerelle.chorus.simulator.ChorusProSimulator.StatusChange;
import fr.passerelle.chorus.simulator.SimulatedInvoices.Invoice;

/**
 * The recipient's services, field names as public Chorus Pro clients use them (Pastell's connecteur cpp, the Go
 * client antoine2116/go-choruspro). Business errors are HTTP 200 with a non-zero codeRetour, as on Chorus Pro.
 */
final class InvoiceEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ChorusProSimulator.class);
    static final String SEARCH = "factures/v1/rechercher/recipiendaire";
    static final String CONSULT = "factures/v1/consulter/recipiendaire";
    static final String HISTORY = "factures/v1/consulter/historique";
    static final String DOWNLOAD = "factures/v1/telecharger/groupe";
    static final String PROCESS = "factures/v1/traiter/recue";
    static final String STATES = "transverses/v1/recuperer/etats/traitement";
    static final String HEALTH = "transverses/v1/health-check";
    static final Set<String> PATHS = Set.of(SEARCH, CONSULT, HISTORY, DOWNLOAD, PROCESS, STATES, HEALTH);

    static final int AUCUN_RESULTAT = 20000;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    private final ChorusProSimulator simulator;
    private final SimulatedInvoices invoices;

    InvoiceEndpoints(ChorusProSimulator simulator, SimulatedInvoices invoices) {
        this.simulator = simulator;
        this.invoices = invoices;
    }

    Reply handle(String path, JsonNode body) {
        return switch (path) {
            case SEARCH -> search(body);
            case CONSULT -> consult(body);
            case HISTORY -> history(body);
            case DOWNLOAD -> download(body);
            case PROCESS -> process(body);
            case STATES -> states(body);
            case HEALTH -> Reply.ok("statusCode", "OK", "statusCodeValue", 200).with("libelle", "OK");
            default -> Reply.error(404, 404, "Service inconnu : " + path);
        };
    }

    private Reply search(JsonNode body) {
        SimulatedInvoices.Criteria criteria = new SimulatedInvoices.Criteria(Requests.optionalLong(body, "idDestinataire"),
                Requests.text(body, "typeDemandePaiement"), Requests.instant(body, "periodeDateHeureEtatCourantDu"),
                Requests.instant(body, "periodeDateHeureEtatCourantAu"), Requests.strings(body, "statutCourant"),
                Requests.optionalBoolean(body, "factureTelechargeeParDestinataire"));
        List<Invoice> found = new ArrayList<>(invoices.search(criteria));
        if (found.isEmpty()) {
            return Reply.business(AUCUN_RESULTAT, "TRA_MSG_00.015 La recherche n'a retourné aucun résultat");
        }
        JsonNode param = body.path("paramRecherche");
        if ("Descendant".equalsIgnoreCase(Requests.text(param, "triSens"))) {
            Collections.reverse(found);
        }
        int perPage = Requests.positiveInt(param, "nbResultatsParPage", 100);
        int page = Requests.positiveInt(param, "pageResultatDemandee", 1);
        int pages = (found.size() + perPage - 1) / perPage;
        int from = (int) Math.min((long) (page - 1) * perPage, found.size());
        List<Map<String, Object>> list = found.subList(from, Math.min(from + perPage, found.size())).stream()
                .map(InvoiceEndpoints::summary).toList();
        return Reply.ok("pageCourante", page, "pages", pages, "nbResultatsParPage", perPage, "total", found.size(),
                "listeFactures", list);
    }

    private static Map<String, Object> summary(Invoice i) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("idFacture", i.idFacture());
        f.put("numeroFacture", i.numeroFacture());
        f.put("typeDemandePaiement", SimulatedInvoices.FACTURE);
        f.put("idDestinataire", i.idDestinataire());
        f.put("codeDestinataire", i.codeDestinataire());
        f.put("dateDepot", DATE.format(ChorusProSimulator.paris(i.dateDepot())));
        f.put("dateHeureEtatCourant", dateTime(i.dateHeureEtatCourant()));
        f.put("statut", i.statut());
        f.put("montantTTC", i.montantTTC());
        f.put("devise", "EUR");
        f.put("factureTelechargeeParDestinataire", i.telechargee());
        return f;
    }

    private Reply consult(JsonNode body) {
        long id = Requests.idFacture(body);
        return invoices.find(id).map(i -> {
            Map<String, Object> facture = new LinkedHashMap<>();
            facture.put("identifiantFactureCPP", i.idFacture());
            facture.put("numeroFacture", i.numeroFacture());
            facture.put("statutFacture", i.statut());
            facture.put("dateHeureEtatCourant", dateTime(i.dateHeureEtatCourant()));
            facture.put("typeDemandePaiement", SimulatedInvoices.FACTURE);
            facture.put("destinataire", Map.of("idDestinataire", i.idDestinataire(),
                    "codeDestinataire", i.codeDestinataire() == null ? "" : i.codeDestinataire()));
            facture.put("montantTotal", Map.of("montantTtcTotal", i.montantTTC()));
            facture.put("pieceJointePrincipale", Map.of("designation", i.fileName()));
            return Reply.ok("facture", facture);
        }).orElseGet(() -> unknown(id));
    }

    /** The statuses, most recent first (Chorus Pro's default order), unless triSensListeHistoStatut is Ascendant. */
    private Reply history(JsonNode body) {
        long id = Requests.idFacture(body);
        return invoices.find(id).map(i -> {
            List<StatusChange> changes = invoices.history(id);
            List<Map<String, Object>> entries = new ArrayList<>();
            for (int n = 0; n < changes.size(); n++) {
                StatusChange c = changes.get(n);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("histoStatutId", id * 1000 + n + 1);
                e.put("histoStatutCode", c.statut());
                e.put("histoStatutDatePassage", DATE_TIME.format(c.at()));
                e.put("histoStatutCommentaire", c.motif() == null ? "" : c.motif());
                entries.add(e);
            }
            String order = Requests.text(body.path("paramRechercheHistoStatuts"), "triSensListeHistoStatut");
            if (!"Ascendant".equalsIgnoreCase(order)) {
                Collections.reverse(entries);
            }
            Map<String, Object> statuts = new LinkedHashMap<>();
            statuts.put("histoStatut", entries);
            statuts.put("nbResultatsParPageHistoStatut", entries.size());
            statuts.put("pageCouranteHistoStatut", 1);
            statuts.put("pagesHistoStatut", 1);
            statuts.put("totalHistoStatut", entries.size());
            return Reply.ok("idFacture", id, "numeroFacture", i.numeroFacture(), "statutCourantCode", i.statut(),
                    "historiquesDesStatuts", statuts);
        }).orElseGet(() -> unknown(id));
    }

    /** One invoice: its deposited file itself; several: a ZIP of them. Larger than maxDownloadBytes: 413. */
    private Reply download(JsonNode body) {
        JsonNode list = body.path("listeFacture");
        if (!list.isArray() || list.isEmpty()) {
            throw new Requests.BadRequest("listeFacture manquante ou vide");
        }
        List<Invoice> wanted = new ArrayList<>();
        for (JsonNode item : list) {
            long id = Requests.idFacture(item);
            Invoice invoice = invoices.find(id).orElse(null);
            if (invoice == null) {
                return unknown(id);
            }
            wanted.add(invoice);
        }
        byte[] result = wanted.size() == 1 ? invoices.content(wanted.get(0).idFacture()) : zip(wanted);
        long max = simulator.options().maxDownloadBytes();
        if (result.length > max) {
            return Reply.error(413, 413, "Le dossier téléchargé (" + result.length + " octets) dépasse la taille maximale ("
                    + max + " octets)");
        }
        wanted.forEach(i -> invoices.markDownloaded(i.idFacture()));
        return Reply.ok("fichierResultat", Base64.getEncoder().encodeToString(result));
    }

    private byte[] zip(List<Invoice> wanted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Invoice i : wanted) {
                String name = names.add(i.fileName()) ? i.fileName() : i.idFacture() + "-" + i.fileName();
                zip.putNextEntry(new ZipEntry(name));
                zip.write(invoices.content(i.idFacture()));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private Reply process(JsonNode body) {
        long id = Requests.idFacture(body);
        String nouveauStatut = Requests.text(body, "nouveauStatut");
        Instant now = simulator.now();
        SimulatedInvoices.Outcome outcome = invoices.setStatus(id, nouveauStatut, Requests.text(body, "motif"),
                Requests.text(body, "numeroDPMandat"), now);
        if (outcome == null) {
            return unknown(id);
        }
        if (outcome.refusal() != null) {
            LOG.info("Chorus Pro simulator: facture {} reste {} ({} refusé : {})", id, outcome.previous(), nouveauStatut,
                    outcome.refusal().codeRetour());
            return Reply.business(outcome.refusal().codeRetour(), outcome.refusal().libelle());
        }
        LOG.info("Chorus Pro simulator: facture {} (n° {}) {} → {}", id, outcome.invoice().numeroFacture(),
                outcome.previous(), nouveauStatut);
        return Reply.ok("idFacture", id, "numeroFacture", outcome.invoice().numeroFacture(), "nouveauStatut", nouveauStatut,
                "statutFacture", nouveauStatut, "dateTraitement", DATE.format(ChorusProSimulator.paris(now)));
    }

    /** The statuses a recipient may set, from {@code statutCourant} or from the current status of {@code idFacture}. */
    private Reply states(JsonNode body) {
        String current = Requests.text(body, "statutCourant");
        if (current == null || current.isBlank()) {
            long id = Requests.idFacture(body);
            Invoice invoice = invoices.find(id).orElse(null);
            if (invoice == null) {
                return unknown(id);
            }
            current = invoice.statut();
        }
        List<Map<String, String>> possible = StatusRules.allowedFrom(current.trim()).stream()
                .map(s -> Map.of("statutPossiblePourTraitement", s)).toList();
        return Reply.ok("listeStatutsPossiblesPourTraitement", possible);
    }

    private static Reply unknown(long id) {
        return Reply.business(StatusRules.FACTURE_INCONNUE, "Facture " + id + " inconnue ou non accessible");
    }

    private static String dateTime(Instant instant) {
        return DATE_TIME.format(ChorusProSimulator.paris(instant));
    }
}
