package fr.passerelle.console;

/**
 * The console's pages, written on the server: text escaped for HTML, and the frame every page
 * shares (French, a skip link, the navigation of the signed-in user, one main landmark).
 */
final class Html {

    private Html() {
    }

    /** Text or attribute value made safe for HTML. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A whole page: title, the user's navigation (null: signed out), the main content. */
    static String page(String title, ConsoleSessions.Session session, String main) {
        StringBuilder nav = new StringBuilder();
        if (session != null) {
            ConsoleAccounts.Account a = session.account();
            nav.append("<nav aria-label=\"Navigation principale\"><ul>")
                    .append("<li><a href=\"/console\">Tableau de bord</a></li>")
                    .append("<li><a href=\"/console/flux\">Flux</a></li>")
                    .append("<li><a href=\"/console/valider\">Valider un fichier</a></li></ul>")
                    .append("<p class=\"who\">").append(esc(a.login())).append(" — ")
                    .append(a.operator() ? "opérateur (toutes les communes)" : "commune " + esc(a.communeId()))
                    .append("</p><form method=\"post\" action=\"/console/logout\">").append(csrf(session))
                    .append("<button type=\"submit\">Se déconnecter</button></form></nav>");
        }
        return "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " — Passerelle</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\">"
                + "<script src=\"/console/assets/console.js\" defer></script></head><body>"
                + "<a class=\"skip\" href=\"#contenu\">Aller au contenu</a>"
                + "<header><p class=\"brand\">Passerelle</p>" + nav + "</header>"
                + "<main id=\"contenu\"><h1>" + esc(title) + "</h1>" + main + "</main></body></html>";
    }

    /** The hidden field every form posts back. */
    static String csrf(ConsoleSessions.Session session) {
        return "<input type=\"hidden\" name=\"_csrf\" value=\"" + esc(session.csrf()) + "\">";
    }
}
