package fr.passerelle.console;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import static fr.passerelle.console.Html.esc;

/** A validation report as an accountant reads it: the verdict, the rule sets, then each finding. */
final class ReportHtml {

    private ReportHtml() {
    }

    static String report(String json) {
        JsonNode r;
        try {
            r = FlowPages.parse(json);
        } catch (IOException e) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"rapport\"><h2 id=\"rapport\">Rapport de validation</h2>")
                .append("<p>Verdict : <strong>").append(esc(verdict(r.path("verdict").asText("")))).append("</strong>");
        JsonNode rules = r.path("rules");
        if (rules.size() > 0) {
            html.append(" — règles appliquées : ");
            rules.fields().forEachRemaining(e -> html.append(esc(e.getKey())).append(' ').append(esc(e.getValue().asText()))
                    .append(' '));
        }
        html.append("</p>");
        JsonNode findings = r.path("findings");
        if (findings.isEmpty()) {
            return html.append("<p>Aucune remarque.</p></section>").toString();
        }
        html.append("<table><caption>Remarques</caption><thead><tr><th scope=\"col\">Gravité</th>")
                .append("<th scope=\"col\">Couche</th><th scope=\"col\">Règle</th><th scope=\"col\">Message</th>")
                .append("<th scope=\"col\">Emplacement</th></tr></thead><tbody>");
        for (JsonNode f : findings) {
            html.append("<tr class=\"").append(esc(f.path("severity").asText())).append("\"><td>")
                    .append(severity(f.path("severity").asText())).append("</td><td>").append(esc(f.path("layer").asText()))
                    .append("</td><td class=\"rule\">").append(esc(f.path("rule").asText())).append("</td><td>")
                    .append(esc(f.path("message").asText())).append("</td><td class=\"where\">")
                    .append(esc(f.path("location").asText(""))).append("</td></tr>");
        }
        return html.append("</tbody></table></section>").toString();
    }

    private static String verdict(String v) {
        return switch (v) {
            case "accepted" -> "acceptée";
            case "accepted-with-warnings" -> "acceptée avec avertissements";
            case "rejected" -> "refusée";
            default -> v.isEmpty() ? "pas de verdict (vérification impossible)" : v;
        };
    }

    private static String severity(String s) {
        return switch (s) {
            case "error" -> "Erreur";
            case "warning" -> "Avertissement";
            default -> "Information";
        };
    }
}
