package fr.passerelle.console;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static fr.passerelle.console.Html.esc;

/** GET and POST /console/login, POST /console/logout. */
public final class SignInPages {

    private static final Logger LOG = LoggerFactory.getLogger(SignInPages.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("Europe/Paris"));

    private final ConsoleAccounts accounts;
    private final ConsoleSessions sessions;
    private final ConsoleWeb web;

    public SignInPages(ConsoleAccounts accounts, ConsoleSessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.web = new ConsoleWeb(sessions);
    }

    public void form(Exchange exchange) {
        ConsoleWeb.page(exchange, 200, loginPage(null, ""));
    }

    public void signIn(Exchange exchange) {
        Map<String, String> form = ConsoleWeb.form(exchange);
        String login = form.getOrDefault("login", "").trim();
        ConsoleAccounts.SignIn result = accounts.signIn(login, form.getOrDefault("password", ""));
        if (!result.ok()) {
            LOG.warn("Console sign-in refused for '{}'{}", login, result.lockedUntil() != null ? " (locked)" : "");
            String why = result.lockedUntil() != null
                    ? "Trop d'essais infructueux : ce compte est bloqué jusqu'à " + TIME.format(result.lockedUntil()) + "."
                    : "Identifiant ou mot de passe incorrect.";
            ConsoleWeb.page(exchange, 401, loginPage(why, login));
            return;
        }
        web.openSession(exchange, sessions.open(result.account()));
        ConsoleWeb.redirect(exchange, "/console");
    }

    public void signOut(Exchange exchange) {
        Map<String, String> form = ConsoleWeb.form(exchange);
        if (web.action(exchange, form) == null) {
            return;
        }
        web.closeSession(exchange);
        ConsoleWeb.redirect(exchange, "/console/login");
    }

    private static String loginPage(String error, String login) {
        return Html.page("Connexion", null, (error == null ? "" : "<p role=\"alert\" class=\"error\">" + esc(error) + "</p>")
                + "<form method=\"post\" action=\"/console/login\" class=\"login\">"
                + "<p><label for=\"login\">Identifiant</label><input id=\"login\" name=\"login\" autocomplete=\"username\" "
                + "required value=\"" + esc(login) + "\"></p>"
                + "<p><label for=\"password\">Mot de passe</label><input id=\"password\" name=\"password\" type=\"password\" "
                + "autocomplete=\"current-password\" required></p>"
                + "<p><button type=\"submit\">Se connecter</button></p></form>");
    }
}
