package fr.passerelle.flow;

import java.time.OffsetDateTime;

/** One line of a flow's audit trail. */
public record FlowEvent(OffsetDateTime at, FlowStatus status, String detail) {
}
