package fr.passerelle.flow;

/** The life of a flow, from intake to the treasury's acknowledgement. */
public enum FlowStatus {
    RECEIVED,
    /** Received from a supplier whose buyer is not (yet) one of our communes: waits for routing. */
    UNROUTED,
    REJECTED,
    VALIDATED,
    PACKED,
    SIGNED,
    BLOCKED,
    SENT,
    ACKNOWLEDGED,
    REFUSED,
    FAILED
}
