package fr.passerelle.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.apache.camel.Exchange;

import fr.passerelle.api.MultipartReader;
import fr.passerelle.validation.DeadlineValidator;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ReportJson;
import fr.passerelle.validation.ValidationReport;
import fr.passerelle.tenant.TenantRegistry;

import static fr.passerelle.console.Html.esc;

/**
 * "Valider un fichier": drop a file, read its report; nothing is stored (the file is spooled to a
 * temporary file for the judges and deleted). The form's action carries the CSRF token, the body
 * being the file.
 */
public final class ValidatePage {

    private static final Duration SEAT_WAIT = Duration.ofSeconds(10);

    private final DeadlineValidator validator;
    private final TenantRegistry tenants;
    private final MultipartReader multipart;
    private final Path scratch;
    private final ConsoleWeb web;

    public ValidatePage(DeadlineValidator validator, TenantRegistry tenants, MultipartReader multipart, Path scratch,
                        ConsoleSessions sessions) {
        this.validator = validator;
        this.tenants = tenants;
        this.multipart = multipart;
        this.scratch = scratch;
        this.web = new ConsoleWeb(sessions);
    }

    /** GET /console/valider */
    public void form(Exchange exchange) {
        ConsoleSessions.Session session = web.signedIn(exchange);
        if (session != null) {
            ConsoleWeb.page(exchange, 200, Html.page("Valider un fichier", session, form(session)));
        }
    }

    /** POST /console/valider?_csrf=… (multipart, one part "file") */
    public void validate(Exchange exchange) throws IOException, InterruptedException {
        ConsoleSessions.Session session = web.action(exchange, java.util.Map.of());
        if (session == null) {
            return;
        }
        MultipartReader.Part part = multipart.filePart(exchange);
        if (part == null) {
            ConsoleWeb.page(exchange, 400, Html.page("Valider un fichier", session,
                    "<p role=\"alert\">Choisissez un fichier.</p>" + form(session)));
            return;
        }
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "console-", ".bin");
        try {
            try (InputStream in = part.content()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            String name = part.fileName() == null ? "fichier" : part.fileName();
            ValidationReport report;
            try {
                report = validator.validate(file, name, new InvoiceValidator.Options(false, tenants,
                        session.account().operator() ? null : session.account().communeId()), SEAT_WAIT);
            } catch (DeadlineValidator.BusyException e) {
                ConsoleWeb.page(exchange, 503, Html.page("Valider un fichier", session, "<p role=\"alert\">Toutes les "
                        + "vérifications en cours occupent la plateforme : réessayez dans une minute.</p>" + form(session)));
                return;
            }
            ConsoleWeb.page(exchange, 200, Html.page("Valider un fichier", session, "<p>Fichier : " + esc(name) + "</p>"
                    + ReportHtml.report(ReportJson.toJson(report)) + form(session)));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String form(ConsoleSessions.Session session) {
        return "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/console/valider?_csrf="
                + esc(session.csrf()) + "\"><p><label for=\"file\">Facture (Factur-X, UBL, CII) ou message CDAR</label>"
                + "<input id=\"file\" name=\"file\" type=\"file\" required></p>"
                + "<p><button type=\"submit\">Vérifier</button></p></form>";
    }
}
