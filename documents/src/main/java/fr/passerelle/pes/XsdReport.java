package fr.passerelle.pes;

import java.util.List;

/**
 * The outcome of one XSD validation: the errors kept (at most {@link PesSchemas#MAX_ERRORS}, so
 * that a file with an error on every line still validates in constant memory) and how many there
 * were in all.
 */
public record XsdReport(List<XsdError> errors, int errorCount) {

    public XsdReport {
        errors = List.copyOf(errors);
    }

    public boolean valid() {
        return errorCount == 0;
    }

    /** True when more errors were found than kept. */
    public boolean truncated() {
        return errorCount > errors.size();
    }

    /** True when the file is not even well-formed XML (validation stopped there). */
    public boolean wellFormed() {
        return errors.stream().noneMatch(XsdError::fatal);
    }
}
