package fr.passerelle.validation;

import java.io.IOException;

import net.sf.saxon.s9api.SaxonApiException;

/**
 * One step of the validation pyramid, run in order by {@link InvoiceValidator} (KoSIT's
 * {@code DefaultCheck}: {@code if (!step.isSkipped(check)) step.check(check)}). Steps are stateless
 * and built once with their compiled artefacts: one instance serves every invoice on every thread;
 * what an invoice carries from one step to the next lives in its {@link InvoiceCheck}.
 */
interface ValidationStep {

    /**
     * Whether this invoice gives the step nothing to do: an earlier step ended the check (no input
     * left for this layer), or found an error and all layers were not asked for. A layer that runs
     * but does not apply to the invoice says so itself, in a note of the report.
     */
    boolean isSkipped(InvoiceCheck check);

    /** Checks the invoice: adds findings, records the layers run, passes on what later steps need. */
    void check(InvoiceCheck check) throws IOException, SaxonApiException;
}
