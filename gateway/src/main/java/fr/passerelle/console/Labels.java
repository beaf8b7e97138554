package fr.passerelle.console;

import fr.passerelle.flow.FlowStatus;

/** The French words the console shows for the flows' states. */
final class Labels {

    private Labels() {
    }

    static String status(FlowStatus status) {
        return switch (status) {
            case RECEIVED -> "Reçu";
            case UNROUTED -> "En attente de commune";
            case REJECTED -> "Refusé";
            case VALIDATED -> "Validé";
            case PACKED -> "Mis en flux PES";
            case SIGNED -> "Signé";
            case BLOCKED -> "Bloqué (signature)";
            case SENT -> "Transmis au Trésor";
            case ACKNOWLEDGED -> "Acquitté";
            case REFUSED -> "Refusé par le Trésor";
            case FAILED -> "Échec de transmission";
        };
    }
}
