package fr.passerelle.pes;

import java.util.List;

import fr.passerelle.document.Rejection;

/** A PES file refused by its schema while it was read (or written): every error, each naming its element. */
public final class PesInvalidException extends Exception {

    private final transient List<XsdError> errors;

    public PesInvalidException(List<XsdError> errors) {
        super(errors.isEmpty() ? "PES non conforme" : errors.get(0).french()
                + (errors.size() > 1 ? " (et " + (errors.size() - 1) + " autre(s) erreur(s))" : ""));
        this.errors = List.copyOf(errors);
    }

    public List<XsdError> errors() {
        return errors;
    }

    /** The errors as refusal records (layer "pes", rule PES-XSD). */
    public List<Rejection> rejections() {
        return errors.stream().map(XsdError::rejection).toList();
    }
}
