package fr.passerelle.console;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.chorus.ChorusView;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowEvent;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.treasury.TransmissionStore;
import fr.passerelle.treasury.TreasuryView;

import static fr.passerelle.console.Html.esc;

/**
 * "Flux": the list with its filters and pages, a flow's page (history, the validation report as an
 * accountant reads it, downloads, the PES, treasury and Chorus Pro parts), the original, and the
 * operators' "Renvoyer" of a flow the treasury stage gave up on. A flow of another commune is "not
 * found" for an accountant, as in the API.
 */
public final class FlowPages {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss").withZone(ZoneId.of("Europe/Paris"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 50;

    private final FlowStore flows;
    private final TreasuryView treasury;
    private final ChorusView chorus;
    private final TransmissionStore transmissions;
    private final TenantRegistry tenants;
    private final ConsoleWeb web;
    private final FlowDownloads downloads;

    public FlowPages(FlowStore flows, FlowDownloads downloads, TreasuryView treasury, ChorusView chorus,
                     TransmissionStore transmissions, TenantRegistry tenants, ConsoleSessions sessions) {
        this.flows = flows;
        this.downloads = downloads;
        this.treasury = treasury;
        this.chorus = chorus;
        this.transmissions = transmissions;
        this.tenants = tenants;
        this.web = new ConsoleWeb(sessions);
    }

    /** GET /console/flux?statut=&format=&commune=&du=&au=&page= */
    public void list(Exchange exchange) {
        ConsoleSessions.Session session = web.signedIn(exchange);
        if (session == null) {
            return;
        }
        Message in = exchange.getMessage();
        String status = param(in, "statut");
        String format = param(in, "format");
        String channel = param(in, "canal");
        String commune = session.account().operator() ? param(in, "commune") : session.account().communeId();
        int page = Math.max(1, parseInt(param(in, "page")));
        FlowStatus wanted = java.util.Arrays.stream(FlowStatus.values()).filter(v -> v.name().equals(status)).findFirst()
                .orElse(null);
        List<Flow> found = flows.list(new FlowQuery(commune, wanted, format, day(param(in, "du"), 0),
                day(param(in, "au"), 1), null, PAGE + 1, (page - 1) * PAGE, channel));
        StringBuilder html = new StringBuilder(filters(session, status, format, channel, commune, param(in, "du"),
                param(in, "au")));
        html.append("<table><caption>Flux ").append(page > 1 ? "(page " + page + ")" : "").append("</caption><thead><tr>")
                .append("<th scope=\"col\">Reçu le</th><th scope=\"col\">Commune</th><th scope=\"col\">Fichier</th>")
                .append("<th scope=\"col\">Format</th><th scope=\"col\">Canal</th><th scope=\"col\">Statut</th>")
                .append("<th scope=\"col\">Motif</th></tr></thead><tbody>");
        for (Flow f : found.subList(0, Math.min(PAGE, found.size()))) {
            html.append("<tr><td>").append(WHEN.format(f.receivedAt())).append("</td><td>").append(esc(f.communeId()))
                    .append("</td><td><a href=\"/console/flux/").append(esc(f.id())).append("\">").append(esc(f.fileName()))
                    .append("</a></td><td>").append(esc(f.format())).append("</td><td>").append(esc(f.channel()))
                    .append("</td><td><span class=\"status ").append(f.status().name().toLowerCase()).append("\">")
                    .append(Labels.status(f.status())).append("</span></td><td>")
                    .append(f.rejection() == null ? "" : esc(f.rejection().rule())).append("</td></tr>");
        }
        html.append("</tbody></table>");
        if (found.isEmpty()) {
            html.append("<p>Aucun flux ne répond à ces critères.</p>");
        }
        String query = "statut=" + esc(nz(status)) + "&amp;format=" + esc(nz(format)) + "&amp;canal=" + esc(nz(channel))
                + "&amp;commune="
                + esc(session.account().operator() ? nz(commune) : "") + "&amp;du=" + esc(nz(param(in, "du")))
                + "&amp;au=" + esc(nz(param(in, "au")));
        html.append("<nav aria-label=\"Pages\" class=\"pages\">");
        if (page > 1) {
            html.append("<a href=\"/console/flux?").append(query).append("&amp;page=").append(page - 1).append("\">Page précédente</a> ");
        }
        if (found.size() > PAGE) {
            html.append("<a href=\"/console/flux?").append(query).append("&amp;page=").append(page + 1).append("\">Page suivante</a>");
        }
        html.append("</nav>");
        ConsoleWeb.page(exchange, 200, Html.page("Flux", session, html.toString()));
    }

    /** GET /console/flux/{id} */
    public void flow(Exchange exchange) throws IOException {
        ConsoleSessions.Session session = web.signedIn(exchange);
        if (session == null) {
            return;
        }
        Optional<Flow> found = visible(session, exchange.getMessage().getHeader("id", String.class));
        if (found.isEmpty()) {
            ConsoleWeb.page(exchange, 404, Html.page("Flux introuvable", session,
                    "<p>Ce flux n'existe pas, ou il n'est pas celui de votre commune.</p>"));
            return;
        }
        Flow f = found.get();
        StringBuilder html = new StringBuilder("<dl class=\"facts\">")
                .append(fact("Fichier", esc(f.fileName()))).append(fact("Commune", esc(f.communeId())))
                .append(fact("Format", esc(f.format()))).append(fact("Canal", esc(f.channel()) + " — " + esc(f.sender())))
                .append(fact("Statut", "<span class=\"status " + f.status().name().toLowerCase() + "\" data-flow-status>"
                        + Labels.status(f.status()) + "</span>"))
                .append(fact("Reçu le", WHEN.format(f.receivedAt()))).append("</dl>");
        if (f.rejection() != null) {
            html.append("<section aria-labelledby=\"motif\"><h2 id=\"motif\">Motif</h2><p class=\"reason\">")
                    .append(esc(f.rejection().message())).append(" <span class=\"rule\">(").append(esc(f.rejection().layer()))
                    .append(", règle ").append(esc(f.rejection().rule())).append(f.rejection().location() == null ? ""
                            : ", " + esc(f.rejection().location())).append(")</span></p></section>");
        }
        if (f.status() == FlowStatus.FAILED && session.account().operator()) {
            html.append("<form method=\"post\" action=\"/console/flux/").append(esc(f.id())).append("/renvoyer\">")
                    .append(Html.csrf(session)).append("<button type=\"submit\">Renvoyer</button></form>");
        }
        Optional<String> report = flows.validationReport(f.id()); // read once: its link and its table
        html.append("<section aria-labelledby=\"fichiers\"><h2 id=\"fichiers\">Fichiers</h2>")
                .append(downloads.links(f, report.isPresent())).append("</section>");
        report.ifPresent(r -> html.append(ReportHtml.report(r)));
        treasury.of(f).ifPresent(t -> html.append(section("Trésor public", t)));
        chorus.of(f).ifPresent(c -> html.append(section("Chorus Pro", c)));
        html.append("<section aria-labelledby=\"histoire\"><h2 id=\"histoire\">Historique</h2><ol class=\"timeline\">");
        for (FlowEvent e : flows.history(f.id())) {
            html.append("<li><time datetime=\"").append(e.at()).append("\">").append(WHEN.format(e.at()))
                    .append("</time> <strong>").append(Labels.status(e.status())).append("</strong> ")
                    .append(esc(e.detail())).append("</li>");
        }
        html.append("</ol></section>");
        ConsoleWeb.page(exchange, 200, Html.page("Flux " + f.fileName(), session, html.toString()));
    }

    /**
     * POST /console/flux/{id}/renvoyer (operators): the FAILED flow goes back to SIGNED, its message
     * is put on its poste's queue by the route (headers PasserelleFlowId, PasserelleIdPost).
     */
    public void replay(Exchange exchange) {
        Map<String, String> form = ConsoleWeb.form(exchange);
        ConsoleSessions.Session session = web.action(exchange, form);
        if (session == null) {
            exchange.setRouteStop(true);
            return;
        }
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<Flow> found = visible(session, id);
        if (!session.account().operator() || found.isEmpty() || found.get().status() != FlowStatus.FAILED
                || !transmissions.replay(found.get().id(), "console:" + session.account().login())) {
            ConsoleWeb.page(exchange, session.account().operator() ? 409 : 403, Html.page("Renvoi impossible", session,
                    "<p role=\"alert\">Seul un opérateur peut renvoyer un flux, et seulement un flux en échec de transmission.</p>"));
            exchange.setRouteStop(true);
            return;
        }
        Message in = exchange.getMessage();
        in.removeHeaders("*");
        in.setHeader("PasserelleFlowId", found.get().id());
        in.setHeader("PasserelleIdPost", tenants.commune(found.get().communeId()).orElseThrow().idPost());
        in.setHeader("_AMQ_DUPL_ID", "treasury-" + found.get().id() + "-replay-" + System.currentTimeMillis());
        in.setBody(found.get().id());
    }

    /** After the replay's message is on its queue: back to the flow's page. */
    public void replayed(Exchange exchange) {
        ConsoleWeb.redirect(exchange, "/console/flux/" + exchange.getMessage().getHeader("PasserelleFlowId", String.class));
    }

    private Optional<Flow> visible(ConsoleSessions.Session session, String id) {
        return flows.find(id == null ? "" : id).filter(f -> session.account().sees(f.communeId()));
    }

    private String filters(ConsoleSessions.Session session, String status, String format, String channel, String commune,
                           String from, String to) {
        StringBuilder f = new StringBuilder("<form method=\"get\" action=\"/console/flux\" class=\"filters\">")
                .append("<p><label for=\"statut\">Statut</label><select id=\"statut\" name=\"statut\"><option value=\"\">Tous</option>");
        for (FlowStatus s : FlowStatus.values()) {
            f.append("<option value=\"").append(s.name()).append("\"").append(s.name().equals(status) ? " selected" : "")
                    .append(">").append(Labels.status(s)).append("</option>");
        }
        f.append("</select></p><p><label for=\"format\">Format</label><input id=\"format\" name=\"format\" value=\"")
                .append(esc(nz(format))).append("\"></p><p><label for=\"canal\">Canal</label><select id=\"canal\" "
                        + "name=\"canal\"><option value=\"\">Tous</option>");
        for (String c : new String[] {"http", "sftp", "drop", "chorus-pro", "pes"}) {
            f.append("<option value=\"").append(c).append("\"").append(c.equals(channel) ? " selected" : "").append(">")
                    .append(c).append("</option>");
        }
        f.append("</select></p>");
        if (session.account().operator()) {
            f.append("<p><label for=\"commune\">Commune</label><select id=\"commune\" name=\"commune\"><option value=\"\">Toutes</option>");
            tenants.communes().forEach(c -> f.append("<option value=\"").append(esc(c.id())).append("\"")
                    .append(c.id().equals(commune) ? " selected" : "").append(">").append(esc(c.name())).append("</option>"));
            f.append("</select></p>");
        }
        return f.append("<p><label for=\"du\">Du</label><input id=\"du\" name=\"du\" type=\"date\" value=\"")
                .append(esc(nz(from))).append("\"></p><p><label for=\"au\">Au</label><input id=\"au\" name=\"au\" type=\"date\" value=\"")
                .append(esc(nz(to))).append("\"></p><p><button type=\"submit\">Filtrer</button></p></form>").toString();
    }

    private static String section(String title, Map<String, Object> facts) {
        String id = title.replaceAll("[^A-Za-z]", "").toLowerCase();
        return "<section aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\">" + esc(title) + "</h2><pre class=\"facts\">"
                + esc(pretty(facts)) + "</pre></section>";
    }

    private static String pretty(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }

    private static String fact(String name, String htmlValue) {
        return "<dt>" + esc(name) + "</dt><dd>" + htmlValue + "</dd>";
    }

    private static String param(Message in, String name) {
        String v = in.getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static int parseInt(String s) {
        return s != null && s.matches("\\d{1,6}") ? Integer.parseInt(s) : 1;
    }

    private static OffsetDateTime day(String value, int plusDays) {
        if (value == null || !value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return null;
        }
        return LocalDate.parse(value).plusDays(plusDays).atStartOfDay(ZoneId.of("Europe/Paris")).toOffsetDateTime();
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
