package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import fr.passerelle.intake.FileNames;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.validation.DeadlineValidator;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ReportJson;
import fr.passerelle.validation.ValidationReport;

/** POST /api/v1/validate: the validation report on a posted file, nothing stored. */
public final class ValidateApi {

    /** How long a /validate request waits for a free judge before its 503 (it holds an HTTP worker). */
    private static final Duration SEAT_WAIT = Duration.ofSeconds(5);

    private final ApiRequests requests;
    private final DeadlineValidator validator;
    private final TenantRegistry tenants;
    private final Path scratch;

    public ValidateApi(ApiRequests requests, DeadlineValidator validator, TenantRegistry tenants, Path scratch) {
        this.requests = requests;
        this.validator = validator;
        this.tenants = tenants;
        this.scratch = scratch;
    }

    /**
     * ?allLayers=true runs every layer that can, not only up to the first refusal; ?receivedOn=yyyy-mm-dd
     * judges by the French rules in force that day (default today).
     */
    public void validate(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Caller caller = requests.caller(exchange);
        String communeId = requests.commune(caller, in);
        MultipartReader.Part posted = requests.postedFile(exchange);
        String name = posted.fileName();
        Files.createDirectories(scratch);
        // the judges read a file: the body is spooled to disk, not held in memory
        Path file = Files.createTempFile(scratch, "validate-", ".bin");
        try {
            try (InputStream body = posted.content()) {
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            }
            boolean allLayers = "true".equalsIgnoreCase(in.getHeader("allLayers", String.class));
            ValidationReport report = judge(file, name == null ? "document" : FileNames.sanitise(name),
                    new InvoiceValidator.Options(allLayers, tenants, communeId, receivedOn(in)));
            ApiAnswers.json(exchange, 200, ReportJson.toMap(report));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static java.time.LocalDate receivedOn(Message in) {
        java.time.OffsetDateTime day = QueryParameters.dateParam(in, "receivedOn", false);
        return day == null ? null : day.atZoneSameInstant(java.time.ZoneId.of("Europe/Paris")).toLocalDate();
    }

    /** The API's own judges (api-slots), within the queue's budget; all busy: 503, come back later. */
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
}
