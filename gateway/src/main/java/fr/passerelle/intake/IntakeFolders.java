package fr.passerelle.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders the file channels poll, watched for what would otherwise go unnoticed: a drop folder
 * or an SFTP home that belongs to nobody, and files a channel could not take in. A file the drop or
 * SFTP route fails on is moved to data/failed/<channel>/ by the route (moveFailed); this writes
 * the refusal report beside it, counts it, and the health check lists what is waiting there.
 */
public final class IntakeFolders {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeFolders.class);
    static final String REPORT_SUFFIX = ".refus.json";

    /** A file in a folder that no commune (drop) or no supplier account (SFTP) owns. */
    public static final class NoOwnerException extends IllegalArgumentException {
        public NoOwnerException(String message) {
            super(message);
        }
    }

    private final Path data;
    private final Predicate<String> commune;
    private final Predicate<String> supplier;
    private final MeterRegistry meters;

    public IntakeFolders(Path data, Predicate<String> commune, Predicate<String> supplier, MeterRegistry meters) {
        this.data = data;
        this.commune = commune;
        this.supplier = supplier;
        this.meters = meters;
    }

    /** Called by the channel routes when they fail on a file: the report beside the moved file, a count, a log line. */
    public void refused(Exchange exchange) {
        String channel = "ingest-sftp".equals(exchange.getFromRouteId()) ? "sftp" : "drop";
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class).replace('\\', '/');
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        boolean noOwner = cause instanceof NoOwnerException;
        String rule = noOwner ? "INTAKE-FOLDER" : "INTAKE-PROCESSING";
        String message = noOwner
                ? "Ce dossier (« " + owner(relative) + " ») n'appartient à aucune commune ni à aucun compte fournisseur "
                + "de la plateforme : le fichier n'a pas été traité. Déposez-le dans le dossier de votre commune."
                : "Le fichier n'a pas pu être pris en charge (erreur de traitement, ce n'est pas un refus de son "
                + "contenu) : il est conservé et l'exploitation est prévenue.";
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", relative);
        report.put("channel", channel);
        report.put("at", OffsetDateTime.now().toString());
        report.put("layer", "intake");
        report.put("rule", rule);
        report.put("message", message);
        report.put("detail", cause == null ? null : cause.toString());
        Path target = failed(channel).resolve(relative + REPORT_SUFFIX).normalize();
        try {
            if (!target.startsWith(failed(channel))) {
                throw new IOException("report path outside " + failed(channel));
            }
            ReportFiles.write(target, ReportFiles.json(report));
        } catch (IOException e) {
            LOG.warn("Cannot write the refusal report of {}: {}", relative, e.getMessage());
        }
        Counter.builder("passerelle_intake_refused_files").description("Files a channel could not take in "
                + "(moved to data/failed/<channel>/ with a refusal report)").tag("channel", channel).tag("rule", rule)
                .register(meters).increment();
        LOG.warn("{} channel could not take {} in ({}): moved to {} with its report", channel, relative,
                cause == null ? "?" : cause.getMessage(), failed(channel));
    }

    /** What an operator must look at, in French: ownerless folders, files waiting in data/failed. */
    public List<String> concerns() {
        List<String> concerns = new ArrayList<>();
        List<String> drops = ownerless(data.resolve("drop"), commune);
        if (!drops.isEmpty()) {
            concerns.add("dossier(s) de dépôt sans commune : " + String.join(", ", drops));
        }
        List<String> homes = ownerless(data.resolve("sftp"), supplier);
        if (!homes.isEmpty()) {
            concerns.add("dossier(s) SFTP sans compte fournisseur : " + String.join(", ", homes));
        }
        for (String channel : List.of("drop", "sftp")) {
            long waiting = countFiles(failed(channel));
            if (waiting > 0) {
                concerns.add(waiting + " fichier(s) non pris en charge dans " + failed(channel)
                        + " (rapport .refus.json à côté de chacun)");
            }
        }
        return concerns;
    }

    private Path failed(String channel) {
        return data.resolve("failed").resolve(channel).toAbsolutePath().normalize();
    }

    private static String owner(String relative) {
        int slash = relative.indexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    private static List<String> ownerless(Path root, Predicate<String> owned) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !owned.test(name)).sorted().toList();
        } catch (IOException e) {
            return List.of(root + " illisible : " + e.getMessage());
        }
    }

    private static long countFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(REPORT_SUFFIX)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
