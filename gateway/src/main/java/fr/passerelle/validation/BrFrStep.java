package fr.passerelle.validation;

import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XsltExecutable;

/**
 * The French CTC rules (fr.ctc, profile layer): BR-FR on UBL and CII invoices, and for an
 * EXTENDED-CTC-FR invoice the rules of that profile too. The rule set is the one in force on the day
 * the invoice was received. They judge the invoices that declare themselves French (a French billing
 * mode in BT-23, or a French CTC specification in BT-24), or every invoice where the commune's
 * policy says {@code frenchRules: all}.
 */
final class BrFrStep implements ValidationStep {

    private final ValidationArtefacts artefacts;
    private final RuleMessages messages;

    BrFrStep(ValidationArtefacts artefacts, RuleMessages messages) {
        this.artefacts = artefacts;
        this.messages = messages;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped() || check.summarySyntax == null && !check.cdar;
    }

    @Override
    public void check(InvoiceCheck check) throws SaxonApiException {
        if (check.cdar) {
            lifecycleMessage(check);
            return;
        }
        if (!check.declaresFrench() && !check.expectedPolicy.frenchRulesForAll()) {
            check.note("French CTC rules (BR-FR): not applied, the invoice declares no French billing mode (BT-23) "
                    + "nor French specification (BT-24)");
            return;
        }
        FrenchRules.Compiled rules = artefacts.french(check.receivedOn);
        boolean ubl = check.summarySyntax == SummaryReader.Syntax.UBL;
        XsltExecutable brFr = ubl ? rules.ubl() : rules.cii();
        if (brFr == null) {
            check.note("French CTC rules " + rules.version() + " publish nothing for " + check.summarySyntax);
            return;
        }
        check.ran(Layer.PROFILE);
        check.judgedBy("fr.ctc", rules.version());
        check.addAll(SchematronLayer.run(brFr, check.invoice, Layer.PROFILE, messages, false,
                artefacts.codeListResolver()));
        XsltExecutable extension = rules.extensionFor(check.summarySyntax);
        boolean facturXExtended = check.facturX && check.profile == FacturXProfile.EXTENDED;
        if ((check.frenchExtension() || facturXExtended && check.declaresFrench()) && extension != null) {
            // EXTENDED-CTC-FR: CEN's binding widened to the extension, with its own BR-FREXT rules
            check.note("EXTENDED-CTC-FR rules " + rules.version() + " applied");
            for (Finding f : SchematronLayer.run(extension, check.invoice, Layer.PROFILE, messages, false,
                    artefacts.codeListResolver())) {
                boolean core = f.rule().startsWith("BR-") && !f.rule().startsWith("BR-FR");
                check.addUnlessFound(core ? new Finding(Layer.EN16931, f.rule(), f.severity(), f.location(), f.message(),
                        f.text()) : f);
            }
        }
    }

    /** A CDAR lifecycle status message: the BR-FR-CDV rules of the rule set in force the day it was received. */
    private void lifecycleMessage(InvoiceCheck check) throws SaxonApiException {
        FrenchRules.Compiled rules = artefacts.french(check.receivedOn);
        if (rules.cdar() == null) {
            check.note("French CTC rules " + rules.version() + " publish no BR-FR-CDV rules");
            return;
        }
        check.ran(Layer.PROFILE);
        check.judgedBy("fr.ctc", rules.version());
        check.addAll(SchematronLayer.run(rules.cdar(), check.invoice, Layer.PROFILE, messages, false,
                artefacts.codeListResolver()));
    }
}
