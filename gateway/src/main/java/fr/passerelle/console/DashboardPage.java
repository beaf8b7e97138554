package fr.passerelle.console;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

import fr.passerelle.chorus.ChorusLedger;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.treasury.TransmissionStore;
import fr.passerelle.treasury.TreasuryWatch;

import static fr.passerelle.console.Html.esc;

/**
 * "Tableau de bord": per commune the flows by status today and over seven days (one grouped query
 * on the received-at index), the flows that make no progress, those SENT and not acknowledged, the
 * FAILED ones with their "Renvoyer", the signing certificates' days left, the treasury's and Chorus
 * Pro's state. GET /console/etat gives the page's script what changed, for a refresh without reload.
 */
public final class DashboardPage {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LISTED = 20;

    private final JdbcTemplate jdbc;
    private final FlowStore flows;
    private final FlowRecovery recovery;
    private final TreasuryWatch treasury;
    private final CertificateWatch certificates;
    private final ChorusLedger chorus;
    private final Clock clock;
    private final ConsoleWeb web;
    private final java.util.function.Supplier<Map<String, Long>> queueDepths;

    public DashboardPage(DataSource dataSource, FlowStore flows, FlowRecovery recovery, TreasuryWatch treasury,
                         CertificateWatch certificates, ChorusLedger chorus, ConsoleSessions sessions, Clock clock,
                         java.util.function.Supplier<Map<String, Long>> queueDepths) {
        this.queueDepths = queueDepths;
        this.jdbc = new JdbcTemplate(dataSource);
        this.flows = flows;
        this.recovery = recovery;
        this.treasury = treasury;
        this.certificates = certificates;
        this.chorus = chorus;
        this.clock = clock;
        this.web = new ConsoleWeb(sessions);
    }

    /** GET /console */
    public void page(Exchange exchange) {
        ConsoleSessions.Session session = web.signedIn(exchange);
        if (session == null) {
            return;
        }
        ConsoleAccounts.Account who = session.account();
        StringBuilder html = new StringBuilder();
        html.append(counts("Aujourd'hui", who, LocalDate.now(clock.withZone(PARIS))))
                .append(counts("Sur 7 jours", who, LocalDate.now(clock.withZone(PARIS)).minusDays(6)));
        List<Flow> stalled = flows.list(new FlowQuery(who.operator() ? null : who.communeId(), null, null, null, null,
                recovery.stalledSince(), LISTED, 0));
        html.append(flowList("Flux sans progrès (depuis plus de " + recovery.stalledAfter().toMinutes() + " min)", stalled,
                null));
        List<TransmissionStore.Transmission> unacknowledged = treasury.unacknowledged().stream()
                .filter(t -> who.sees(t.communeId())).limit(LISTED).toList();
        html.append("<section aria-labelledby=\"nonacq\"><h2 id=\"nonacq\">Transmis et non acquittés (après ")
                .append(treasury.delay().toHours()).append(" h)</h2>");
        if (unacknowledged.isEmpty()) {
            html.append("<p>Aucun.</p>");
        } else {
            html.append("<ul>");
            unacknowledged.forEach(t -> html.append("<li><a href=\"/console/flux/").append(esc(t.flowId())).append("\">")
                    .append(esc(t.nomFic())).append("</a> — ").append(esc(t.communeId())).append(", transmis le ")
                    .append(t.sentAt() == null ? "" : FlowPages.WHEN.format(t.sentAt())).append("</li>"));
            html.append("</ul>");
        }
        html.append("</section>");
        List<Flow> failed = flows.list(new FlowQuery(who.operator() ? null : who.communeId(), FlowStatus.FAILED, null, null,
                null, null, LISTED, 0));
        html.append(flowList("En échec", failed, who.operator() ? session : null));
        html.append("<section aria-labelledby=\"certs\"><h2 id=\"certs\">Certificats de signature</h2><ul>");
        certificates.states().forEach((commune, state) -> {
            if (who.sees(commune)) {
                html.append("<li>").append(esc(commune)).append(" : ").append(state.daysLeft()).append(" jour(s) restant(s)")
                        .append("</li>");
            }
        });
        html.append("</ul></section>");
        if (who.operator()) {
            html.append("<section aria-labelledby=\"tresor\"><h2 id=\"tresor\">Trésor public</h2>");
            List<String> reasons = treasury.reasons();
            html.append(reasons.isEmpty() ? "<p>Points d'accès joignables, rien en attente anormale.</p>" : "<ul>");
            reasons.forEach(r -> html.append("<li>").append(esc(r)).append("</li>"));
            html.append(reasons.isEmpty() ? "" : "</ul>").append("</section>");
        }
        if (who.operator()) {
            html.append("<section aria-labelledby=\"files\"><h2 id=\"files\">Files d'attente</h2><ul>");
            queueDepths.get().forEach((queue, depth) -> html.append("<li>").append(esc(queue)).append(" : ")
                    .append(depth < 0 ? "courtier externe (voir ses métriques)" : depth + " message(s)").append("</li>"));
            html.append("</ul></section>");
        }
        html.append("<section aria-labelledby=\"chorus\"><h2 id=\"chorus\">Chorus Pro</h2><ul>");
        chorus.watermarks().stream().filter(w -> who.sees(w.communeId())).forEach(w -> html.append("<li>")
                .append(esc(w.communeId())).append(" : à jour jusqu'au ").append(FlowPages.WHEN.format(w.since()))
                .append(w.lastError() == null ? "" : " — dernière erreur : " + esc(w.lastError())).append("</li>"));
        html.append("</ul></section>");
        ConsoleWeb.page(exchange, 200, Html.page("Tableau de bord", session, html.toString()));
    }

    /** GET /console/etat: what the page script compares to know whether to refresh (JSON). */
    public void state(Exchange exchange) throws IOException {
        ConsoleSessions.Session session = web.session(exchange).orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        if (session != null) {
            ConsoleAccounts.Account who = session.account();
            Timestamp last = who.operator()
                    ? jdbc.queryForObject("SELECT MAX(updated_at) FROM flow", Timestamp.class)
                    : jdbc.queryForObject("SELECT MAX(updated_at) FROM flow WHERE commune_id = ?", Timestamp.class,
                    who.communeId());
            body.put("version", last == null ? "" : last.toInstant().toString());
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, session == null ? 401 : 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(JSON.writeValueAsBytes(body));
    }

    private String counts(String title, ConsoleAccounts.Account who, LocalDate since) {
        Timestamp from = Timestamp.from(since.atStartOfDay(PARIS).toInstant());
        Map<String, Map<String, Long>> byCommune = new TreeMap<>();
        jdbc.query("SELECT commune_id, status, COUNT(*) FROM flow WHERE received_at >= ? GROUP BY commune_id, status",
                rs -> {
                    String commune = rs.getString(1);
                    if (commune != null && who.sees(commune)) {
                        byCommune.computeIfAbsent(commune, c -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    }
                }, from);
        String id = "c" + Math.abs(title.hashCode());
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"").append(id).append("\"><h2 id=\"").append(id)
                .append("\">").append(esc(title)).append("</h2>");
        if (byCommune.isEmpty()) {
            return html.append("<p>Aucun flux.</p></section>").toString();
        }
        html.append("<table><caption>Flux par commune et par statut — ").append(esc(title.toLowerCase()))
                .append("</caption><thead><tr><th scope=\"col\">Commune</th>");
        for (FlowStatus s : FlowStatus.values()) {
            html.append("<th scope=\"col\">").append(Labels.status(s)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        byCommune.forEach((commune, counts) -> {
            html.append("<tr><th scope=\"row\">").append(esc(commune)).append("</th>");
            for (FlowStatus s : FlowStatus.values()) {
                html.append("<td>").append(counts.getOrDefault(s.name(), 0L)).append("</td>");
            }
            html.append("</tr>");
        });
        return html.append("</tbody></table></section>").toString();
    }

    private static String flowList(String title, List<Flow> list, ConsoleSessions.Session replayer) {
        String id = "l" + Math.abs(title.hashCode());
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"").append(id).append("\"><h2 id=\"").append(id)
                .append("\">").append(esc(title)).append("</h2>");
        if (list.isEmpty()) {
            return html.append("<p>Aucun.</p></section>").toString();
        }
        html.append("<ul>");
        for (Flow f : list) {
            html.append("<li><a href=\"/console/flux/").append(esc(f.id())).append("\">").append(esc(f.fileName()))
                    .append("</a> — ").append(esc(f.communeId())).append(", ").append(Labels.status(f.status()));
            if (replayer != null && f.status() == FlowStatus.FAILED) {
                html.append(" <form method=\"post\" class=\"inline\" action=\"/console/flux/").append(esc(f.id()))
                        .append("/renvoyer\">").append(Html.csrf(replayer)).append("<button type=\"submit\" aria-label=\"Renvoyer ")
                        .append(esc(f.fileName())).append("\">Renvoyer</button></form>");
            }
            html.append("</li>");
        }
        return html.append("</ul></section>").toString();
    }
}
