package fr.passerelle.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The outcome of a chaos run, as JSON ({@code target/chaos-<db>-<seed>.json} and stdout). The
 * first fields are the verdict's numbers; {@code failures} names every accepted invoice that is
 * not right, with its last status; {@code killLog} says where each kill was aimed and whether its
 * condition was seen.
 *
 * @param invoices       accepted invoices (answered 201, or 200 duplicate)
 * @param acknowledged   accepted invoices ACKNOWLEDGED at the end
 * @param deliveredTwice accepted invoices found more than once in what the treasury received
 * @param stalled        accepted invoices still known to the gateway, neither ACKNOWLEDGED nor REFUSED at the end
 * @param lost           accepted invoices the gateway does not know any more (404)
 * @param refused        accepted invoices REFUSED by the treasury's acquittement (valid invoices: never right)
 * @param notDelivered   accepted invoices never found at the treasury
 * @param partFilesLeft  uploads left under their temporary name in the treasury's depot
 */
public record ChaosVerdict(long seed, String database, int kills, int killsRequested, int invoices, int acknowledged,
                           int deliveredTwice, int stalled, int lost, int refused, int notDelivered, int partFilesLeft,
                           long seconds, boolean passed, List<String> communes, Load load, Treasury treasury,
                           int gatewayStarts, int unexpectedExits, List<Failure> failures, List<Kill> killLog,
                           String logs, String replay) {

    /** What the load generator did. */
    public record Load(long posts, long unansweredPosts, long duplicateAnswers, long refusedAtIntake,
                       int invoicesPosted, List<String> refusals) {
    }

    /** What the simulated treasury received. */
    public record Treasury(int deliveries, int filesRead, int pjs, int acquittementsWritten,
                           int droppedThenAcknowledged, List<String> unreadable, List<String> partFiles,
                           List<String> returnsNeverTaken) {
    }

    /** An accepted invoice that is not right at the end. */
    public record Failure(String id, String commune, String invoice, String problem, String status,
                          int timesDelivered, String pesFlow, String nomFic, String pesFlowStatus, String acquittement,
                          String lastEvent) {
    }

    /** One kill: its plan (trigger, simulator mode), whether its condition was seen, when it happened. */
    public record Kill(int n, String trigger, String aimedAt, String mode, boolean conditionSeen, boolean killed,
                       long msAfterLaunch, long msAfterApi, String log) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The assertions of the run, in one place: what a passed run means. */
    public static boolean passes(int kills, int killsRequested, int invoices, int acknowledged, int deliveredTwice,
                                 int stalled, int lost, int notDelivered, int partFilesLeft) {
        return kills >= killsRequested && lost == 0 && deliveredTwice == 0 && stalled == 0 && notDelivered == 0
                && acknowledged == invoices && partFilesLeft == 0;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the JSON to the file (its folder made if needed); answers the file. */
    public Path write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
