package fr.passerelle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node count of the shared-parts benchmark, from the per-invoice figures of bench treasury. */
class SharedNodesTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private SharedNodes.PerInvoice read(String content) throws IOException {
        Path file = dir.resolve("bench-treasury.json");
        Files.writeString(file, content);
        return SharedNodes.read(file, json);
    }

    @Test
    void theSmallestShareLimitsAndIsRoundedDown() throws IOException {
        SharedNodes.PerInvoice per = read("{\"window\": {}, \"perInvoice\": {\"databaseStatements\": 30, "
                + "\"databaseRoundTrips\": 40, \"databaseCommits\": 8, \"brokerMessages\": 4, \"brokerBytes\": 6000, "
                + "\"brokerAcks\": 4}}");
        assertThat(per.reason()).isNull();
        assertThat(per.messageBytes()).isEqualTo(1500);

        // PostgreSQL: 100,000 round trips/s / (200 x 40) = 12.5; 20,000 commits/s / (200 x 8) = 12.5
        // Artemis: 9,000 messages/s / (200 x 4) = 11.25, the least: 11 nodes
        Map<String, Object> nodes = SharedNodes.nodes(per, 200, 100_000, 20_000, 9_000);
        assertThat(nodes).containsEntry("postgresNodesByRoundTrips", 12.5).containsEntry("postgresNodesByCommits", 12.5)
                .containsEntry("postgresNodes", 12.5).containsEntry("artemisNodes", 11.25)
                .containsEntry("nodesBeforeSharedPartsLimit", 11).containsEntry("limitedBy", "artemis messages")
                .containsEntry("goalMet", true).containsEntry("reason", null);

        // commits limit PostgreSQL before its round trips do, and it before Artemis
        nodes = SharedNodes.nodes(per, 200, 100_000, 15_000, 90_000);
        assertThat(nodes).containsEntry("postgresNodes", 9.38).containsEntry("nodesBeforeSharedPartsLimit", 9)
                .containsEntry("limitedBy", "postgresql commits").containsEntry("goalMet", false);
    }

    @Test
    void aFigureOfZeroDoesNotLimit() throws IOException {
        SharedNodes.PerInvoice per = read("{\"perInvoice\": {\"databaseRoundTrips\": 10, \"databaseCommits\": 2, "
                + "\"brokerMessages\": 0}}");
        Map<String, Object> nodes = SharedNodes.nodes(per, 200, 10_000, 4_000, 5_000);
        assertThat(nodes).containsEntry("artemisNodes", null).containsEntry("postgresNodes", 5.0)
                .containsEntry("nodesBeforeSharedPartsLimit", 5).containsEntry("limitedBy", "postgresql round trips");
        assertThat(per.messageBytes()).isNull();
    }

    @Test
    void withoutTheFiguresNoCountAndTheReason() throws IOException {
        SharedNodes.PerInvoice absent = SharedNodes.read(dir.resolve("none.json"), json);
        assertThat(absent.figures()).isNull();
        assertThat(absent.reason()).contains("not found");
        assertThat(SharedNodes.nodes(absent, 200, 10_000, 4_000, 5_000))
                .containsEntry("nodesBeforeSharedPartsLimit", null).containsEntry("postgresNodes", null)
                .containsEntry("artemisNodes", null).containsEntry("reason", absent.reason());

        assertThat(read("{\"window\": {}}").reason()).contains("no \"perInvoice\" object");
        assertThat(read("{\"perInvoice\": {\"databaseRoundTrips\": 10, \"brokerMessages\": 3}}").reason())
                .contains("databaseCommits is missing");
        assertThat(read("{\"perInvoice\": {\"databaseRoundTrips\": \"ten\", \"databaseCommits\": 2, "
                + "\"brokerMessages\": 3}}").reason()).contains("databaseRoundTrips is not a number");
        assertThat(read("not json").reason()).contains("not readable JSON");
    }
}
