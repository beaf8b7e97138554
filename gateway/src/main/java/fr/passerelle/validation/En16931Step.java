package fr.passerelle.validation;

import net.sf.saxon.s9api.SaxonApiException;

/** The EN 16931 layer of a UBL or CII file: CEN's Schematron for its syntax. */
final class En16931Step implements ValidationStep {

    private final ValidationArtefacts artefacts;
    private final RuleMessages messages;

    En16931Step(ValidationArtefacts artefacts, RuleMessages messages) {
        this.artefacts = artefacts;
        this.messages = messages;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        // a Factur-X invoice has the EN 16931 rules in its profile's Schematron (FacturXRulesStep)
        return check.endedOrStopped() || check.facturX || check.cdar;
    }

    @Override
    public void check(InvoiceCheck check) throws SaxonApiException {
        flagIncompleteProfile(check);
        if (check.frenchExtension() && artefacts.french(check.receivedOn).extensionFor(check.summarySyntax) != null) {
            check.note("EN 16931 core rules: a French extension (EXTENDED-CTC-FR) is judged by its own rules, "
                    + "CEN's binding widened to the extension");
            return;
        }
        check.ran(Layer.EN16931);
        check.judgedBy("en16931", artefacts.ruleSets().en16931());
        check.addAll(SchematronLayer.run(check.summarySyntax == SummaryReader.Syntax.UBL ? artefacts.cenUbl()
                : artefacts.cenCii(), check.invoice, Layer.EN16931, messages, false, artefacts.codeListResolver()));
    }

    /**
     * MINIMUM and BASIC WL have no invoice lines: not an EN 16931 invoice, which the commune's policy
     * accepts with a warning or rejects. Not a stop: the rules of the layer still run and report.
     */
    static void flagIncompleteProfile(InvoiceCheck check) {
        FacturXProfile profile = check.profile;
        if (profile == null || profile.isFullInvoice()) {
            return;
        }
        boolean reject = check.expectedPolicy.rejectMinimumProfiles();
        check.add(new Finding(Layer.PROFILE, "FX-NOT-EN16931", reject ? Severity.ERROR : Severity.WARNING,
                "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext",
                "Le profil " + profile.label() + " ne constitue pas une facture complète au sens de la norme "
                        + "EN 16931 (pas de lignes de facture) : "
                        + (reject ? "la commune demande une facture au profil BASIC, "
                        + "EN16931 ou EXTENDED." : "elle est acceptée avec cet avertissement."),
                "MINIMUM and BASIC WL are not compliant with EN 16931"));
    }
}
