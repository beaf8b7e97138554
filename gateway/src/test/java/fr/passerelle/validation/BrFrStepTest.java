package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrFrStepTest {

    final BrFrStep step = Steps.step(BrFrStep.class);

    @Test
    void aCiiInvoiceWithoutTheFrenchProfileSaysWhyTheRulesDidNotApply() throws Exception {
        InvoiceCheck check = Steps.before(BrFrStep.class, Steps.CII);
        step.check(check);
        assertThat(check.notes()).containsExactly("French BR-FR rules apply to EXTENDED-CTC-FR invoices only: not applied");
        assertThat(check.layersRun()).doesNotContain("profile");
    }

    @Test
    void anExtendedCtcFrInvoiceIsCheckedAgainstTheFrenchRules() throws Exception {
        InvoiceCheck check = Steps.before(BrFrStep.class, Steps.CII);
        check.guideline = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr";
        step.check(check);
        assertThat(check.layersRun()).endsWith("profile");
        assertThat(check.findings()).allMatch(f -> f.layer() == Layer.PROFILE);
        assertThat(check.notes()).isEmpty();
    }

    @Test
    void ublHasNothingToSay() throws Exception {
        InvoiceCheck check = Steps.before(BrFrStep.class, Steps.UBL);
        step.check(check);
        assertThat(check.notes()).isEmpty();
        assertThat(check.layersRun()).doesNotContain("profile");
    }
}
