package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file a channel cannot take in is reported beside where it lands, counted, and shown in health. */
class IntakeFoldersTest {

    @TempDir
    Path data;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private IntakeFolders folders() {
        return new IntakeFolders(data, Set.of("aubeval")::contains, Set.of("fournisseur-demo")::contains, meters);
    }

    private static Exchange failedExchange(String route, String relativeName, Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, relativeName);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        exchange.getExchangeExtension().setFromRouteId(route);
        return exchange;
    }

    @Test
    void aProcessingFailureIsReportedAndCounted() throws IOException {
        folders().refused(failedExchange("ingest-drop", "aubeval/facture.xml", new IOException("disque plein")));

        JsonNode report = new ObjectMapper().readTree(data.resolve("failed/drop/aubeval/facture.xml.refus.json").toFile());
        assertThat(report.path("rule").asText()).isEqualTo("INTAKE-PROCESSING");
        assertThat(report.path("message").asText()).contains("erreur de traitement");
        assertThat(report.path("detail").asText()).contains("disque plein");
        assertThat(meters.get("passerelle_intake_refused_files").tag("rule", "INTAKE-PROCESSING").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aFolderOfNoCommuneAndFilesWaitingInFailedAreConcerns() throws IOException {
        Files.createDirectories(data.resolve("drop/aubeval"));
        Files.createDirectories(data.resolve("drop/nulle-part"));
        Files.createDirectories(data.resolve("sftp/inconnu"));
        assertThat(folders().concerns()).hasSize(2);

        folders().refused(failedExchange("ingest-sftp", "inconnu/1-f.xml",
                new IntakeFolders.NoOwnerException("no account")));
        Files.createDirectories(data.resolve("failed/sftp/inconnu"));
        Files.writeString(data.resolve("failed/sftp/inconnu/1-f.xml"), "<a/>");
        assertThat(folders().concerns()).anyMatch(c -> c.contains("1 fichier(s) non pris en charge"));
        assertThat(new ObjectMapper().readTree(data.resolve("failed/sftp/inconnu/1-f.xml.refus.json").toFile())
                .path("rule").asText()).isEqualTo("INTAKE-FOLDER");
    }
}
