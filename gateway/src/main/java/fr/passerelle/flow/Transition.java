package fr.passerelle.flow;

import java.time.OffsetDateTime;

/**
 * A committed change of a flow's status, with what the metrics need of the flow, gathered without
 * reading the database again (the store's memory of the flows it read or wrote, or the row the
 * batched move read anyway).
 *
 * @param from       the status left; null for a new flow
 * @param built      a new flow built from others (a PES flow from invoices), not received
 * @param communeId  null when unrouted or not known on this node
 * @param channel    the intake channel (http, sftp, drop; pes for a built flow); null when not known
 * @param format     the flow's format (PES_ALLER, CII…); null when not known
 * @param receivedAt when the flow entered the gateway; null when not known
 * @param since      when the flow entered the status it left; null for a new flow or when not known
 * @param at         when the transition was committed
 */
public record Transition(String flowId, FlowStatus from, FlowStatus to, boolean built, String communeId,
                         String channel, String format, OffsetDateTime receivedAt, OffsetDateTime since,
                         OffsetDateTime at) {

    /** Whether the flow's facts were at hand (a flow another node recorded and this one never read is not). */
    public boolean known() {
        return receivedAt != null;
    }
}
