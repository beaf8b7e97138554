package fr.passerelle.document;

import fr.passerelle.document.Rejection;

/**
 * Why a flow was refused: the layer that refused it, a stable rule id, where in the file, and a
 * message in French that a commune's accountant or a supplier can act on.
 */
public record Rejection(String layer, String rule, String location, String message) {

    public String summary() {
        return "[" + layer + "/" + rule + "] " + message + (location == null ? "" : " (" + location + ")");
    }
}
