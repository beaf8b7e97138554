package fr.passerelle.validation;

import java.util.regex.Pattern;

import net.sf.saxon.s9api.SaxonApiException;

/**
 * The EN 16931 and profile layers of a Factur-X invoice, in one run of its profile's Schematron:
 * it carries the EN 16931 rules as they apply to that profile (an EXTENDED invoice may go beyond
 * the core rules). Its BR-* findings belong to the en16931 layer, the Factur-X specific ones to
 * the profile layer.
 */
final class FacturXRulesStep implements ValidationStep {

    private static final Pattern CODE_LIST_MEMBERSHIP = Pattern.compile("Value of '.+' is not allowed\\.");

    private final ValidationArtefacts artefacts;
    private final RuleMessages messages;

    FacturXRulesStep(ValidationArtefacts artefacts, RuleMessages messages) {
        this.artefacts = artefacts;
        this.messages = messages;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.endedOrStopped() || !check.facturX;
    }

    @Override
    public void check(InvoiceCheck check) throws SaxonApiException {
        En16931Step.flagIncompleteProfile(check);
        check.ran(Layer.EN16931);
        check.ran(Layer.PROFILE);
        check.judgedBy("facturx", artefacts.facturXVersion());
        FacturXProfile profile = check.profile;
        boolean extended = profile == FacturXProfile.EXTENDED;
        int downgraded = 0;
        for (Finding f : SchematronLayer.run(artefacts.profileRules(profile), check.invoice, Layer.PROFILE, messages,
                false, artefacts.codeListResolver())) {
            if (f.rule().startsWith("BR-")) {
                check.add(new Finding(Layer.EN16931, f.rule(), f.severity(), f.location(), f.message(), f.text()));
            } else if (extended && f.severity() == Severity.ERROR && CODE_LIST_MEMBERSHIP.matcher(f.text()).matches()) {
                // EXTENDED goes beyond EN 16931: the code lists of its extension fields moved
                // since ZUGFeRD 2.0 (UN/ECE Rec 21 package codes now need their X prefix), so
                // membership there is a warning; the EN 16931 rules (BR-*, BR-CL-*) still reject
                check.add(new Finding(f.layer(), f.rule(), Severity.WARNING, f.location(), f.message(), f.text()));
                downgraded++;
            } else {
                check.add(f);
            }
        }
        if (profile == FacturXProfile.BASIC || profile == FacturXProfile.EN16931) {
            // an EN 16931 invoice in CII: CEN's binding judges it too, its CII-DT rules included (an
            // element EN 16931 does not use is an error there, where Factur-X only reports it)
            check.judgedBy("en16931", artefacts.ruleSets().en16931());
            for (Finding f : SchematronLayer.run(artefacts.cenCii(), check.invoice, Layer.EN16931, messages, false,
                    artefacts.codeListResolver())) {
                check.addUnlessFound(f);
            }
        }
        if (downgraded > 0) {
            check.note(downgraded + " EXTENDED extension code-list check(s) reported as warnings (EN 16931 rules stay errors)");
        }
        if (!profile.isFullInvoice()) {
            check.note("EN 16931 core rules: profile " + profile.label() + " is checked by its own Factur-X rules");
        }
    }
}
