package fr.passerelle.flow;

import java.time.OffsetDateTime;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A received flow as its wake-up message carries it (a JMS header beside the flow id), so that
 * the validation stage need not read it back: one database round trip less for every invoice,
 * where several nodes share the database. Only a RECEIVED flow is carried: what it holds then
 * (its file, commune, dates) no longer changes while it is RECEIVED, and the verdict is recorded
 * only if the flow is still RECEIVED. A message without a snapshot, or with one that cannot be
 * read, is served by reading the store, as before.
 */
public final class FlowSnapshots {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The fields carried; timestamps as ISO-8601 text. */
    private record Snapshot(String id, String communeId, String sha256, String fileName, String format,
                            String channel, String sender, long size, String receivedAt, String updatedAt) {
    }

    /** The snapshot of a RECEIVED flow, or null for a flow in any other state. */
    public String of(Flow flow) {
        if (flow == null || flow.status() != FlowStatus.RECEIVED) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new Snapshot(flow.id(), flow.communeId(), flow.sha256(), flow.fileName(),
                    flow.format(), flow.channel(), flow.sender(), flow.size(), flow.receivedAt().toString(),
                    flow.updatedAt().toString()));
        } catch (JsonProcessingException e) {
            return null; // the validation stage reads the store instead
        }
    }

    /** The RECEIVED flow a snapshot carries, if it is one of the flow named and can be read. */
    public static Optional<Flow> received(String flowId, String snapshot) {
        if (snapshot == null || snapshot.isBlank()) {
            return Optional.empty();
        }
        try {
            Snapshot s = JSON.readValue(snapshot, Snapshot.class);
            if (!flowId.equals(s.id()) || s.sha256() == null || s.receivedAt() == null || s.updatedAt() == null) {
                return Optional.empty();
            }
            return Optional.of(new Flow(s.id(), s.communeId(), s.sha256(), s.fileName(), s.format(), s.channel(),
                    s.sender(), s.size(), FlowStatus.RECEIVED, null, OffsetDateTime.parse(s.receivedAt()),
                    OffsetDateTime.parse(s.updatedAt())));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
