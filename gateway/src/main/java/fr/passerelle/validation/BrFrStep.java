package fr.passerelle.validation;

import net.sf.saxon.s9api.SaxonApiException;

/** The French BR-FR rules (profile layer), for EXTENDED-CTC-FR invoices only. */
final class BrFrStep implements ValidationStep {

    private final ValidationArtefacts artefacts;
    private final RuleMessages messages;

    BrFrStep(ValidationArtefacts artefacts, RuleMessages messages) {
        this.artefacts = artefacts;
        this.messages = messages;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped();
    }

    @Override
    public void check(InvoiceCheck check) throws SaxonApiException {
        if (check.guideline != null && check.guideline.toLowerCase().contains("ctc-fr")) {
            check.ran(Layer.PROFILE);
            check.addAll(SchematronLayer.run(artefacts.brFr(), check.invoice, Layer.PROFILE, messages, false,
                    artefacts.codeListResolver()));
        } else if (check.summarySyntax == SummaryReader.Syntax.CII) {
            check.note("French BR-FR rules apply to EXTENDED-CTC-FR invoices only: not applied");
        }
    }
}
