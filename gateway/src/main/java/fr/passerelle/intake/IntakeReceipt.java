package fr.passerelle.intake;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;

/** What intake made of a file: its flow, whether it was already known, and whether it goes on. */
public record IntakeReceipt(Flow flow, boolean duplicate, boolean oversize) {

    /** A new RECEIVED flow goes to the next stage's durable queue; duplicates and refusals do not. */
    public boolean handOff() {
        return !duplicate && flow.status() == FlowStatus.RECEIVED;
    }
}
