package fr.passerelle.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.treasury.TransmissionStore;

import static fr.passerelle.console.Html.esc;

/**
 * A flow's files, for a user who may see the flow: GET /console/flux/{id}/fichier/{kind}, kind being
 * original, signe (the signed PES flow), rapport (the validation report, JSON) or retour-{id} (an
 * acquittement or PES_Retour the treasury sent about it).
 */
public final class FlowDownloads {

    private final FlowStore flows;
    private final OriginalStore originals;
    private final TransmissionStore transmissions;
    private final ConsoleWeb web;

    public FlowDownloads(FlowStore flows, OriginalStore originals, TransmissionStore transmissions,
                         ConsoleSessions sessions) {
        this.flows = flows;
        this.originals = originals;
        this.transmissions = transmissions;
        this.web = new ConsoleWeb(sessions);
    }

    /** The links of the files a flow has, for its page (which has read whether it has a validation report). */
    String links(Flow f, boolean hasReport) {
        String base = "/console/flux/" + esc(f.id()) + "/fichier/";
        StringBuilder html = new StringBuilder("<ul class=\"downloads\"><li><a href=\"").append(base)
                .append("original\" download>Original (").append(esc(f.fileName())).append(")</a></li>");
        if (flows.artifact(f.id(), "signed").isPresent()) {
            html.append("<li><a href=\"").append(base).append("signe\" download>Flux PES signé</a></li>");
        }
        if (hasReport) {
            html.append("<li><a href=\"").append(base).append("rapport\" download>Rapport de validation (JSON)</a></li>");
        }
        for (TransmissionStore.ReturnFile r : transmissions.returnsOf(f.id())) {
            html.append("<li><a href=\"").append(base).append("retour-").append(esc(r.id())).append("\" download>")
                    .append(esc(r.kind())).append(" ").append(esc(r.fileName())).append("</a></li>");
        }
        return html.append("</ul>").toString();
    }

    public void file(Exchange exchange) throws IOException {
        ConsoleSessions.Session session = web.signedIn(exchange);
        if (session == null) {
            return;
        }
        Message in = exchange.getMessage();
        String kind = String.valueOf(in.getHeader("kind", String.class));
        Optional<Flow> flow = flows.find(String.valueOf(in.getHeader("id", String.class)))
                .filter(f -> session.account().sees(f.communeId()));
        if (flow.isEmpty() || !send(exchange, flow.get(), kind)) {
            ConsoleWeb.page(exchange, 404, Html.page("Fichier introuvable", session, "<p>Ce fichier n'est pas disponible.</p>"));
        }
    }

    private boolean send(Exchange exchange, Flow f, String kind) throws IOException {
        if (kind.equals("original") && f.sha256() != null) {
            return answer(exchange, f.fileName(), Files.readAllBytes(originals.path(f.sha256())));
        }
        if (kind.equals("signe")) {
            Optional<String> sha = flows.artifact(f.id(), "signed");
            return sha.isPresent() && answer(exchange, "signe-" + f.fileName(), Files.readAllBytes(originals.path(sha.get())));
        }
        if (kind.equals("rapport")) {
            Optional<String> report = flows.validationReport(f.id());
            return report.isPresent() && answer(exchange, f.fileName() + ".report.json",
                    report.get().getBytes(StandardCharsets.UTF_8));
        }
        if (kind.startsWith("retour-")) {
            String id = kind.substring("retour-".length());
            for (TransmissionStore.ReturnFile r : transmissions.returnsOf(f.id())) {
                if (r.id().equals(id)) {
                    return answer(exchange, r.fileName(), Files.readAllBytes(originals.path(r.sha256())));
                }
            }
        }
        return false;
    }

    private static boolean answer(Exchange exchange, String name, byte[] content) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, "application/octet-stream");
        out.setHeader("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[\"\\\\\\r\\n]", "_") + "\"");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(content);
        return true;
    }
}
