package fr.passerelle.flow;

import java.time.OffsetDateTime;

/** One file that entered the gateway, as the flow store knows it. */
public record Flow(
        String id,
        String communeId,
        String sha256,
        String fileName,
        String format,
        String channel,
        String sender,
        long size,
        FlowStatus status,
        Rejection rejection,
        OffsetDateTime receivedAt,
        OffsetDateTime updatedAt) {
}
