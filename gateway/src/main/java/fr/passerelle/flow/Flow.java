package fr.passerelle.flow;

import fr.passerelle.document.Rejection;

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

    /** This flow after a transition the caller just committed, as the store would read it back. */
    public Flow movedTo(FlowStatus to, Rejection why, OffsetDateTime at) {
        return new Flow(id, communeId, sha256, fileName, format, channel, sender, size, to, FlowStore.stored(why),
                receivedAt, at);
    }
}
