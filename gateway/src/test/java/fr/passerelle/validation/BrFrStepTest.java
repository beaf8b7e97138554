package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class BrFrStepTest {

    final BrFrStep step = Steps.step(BrFrStep.class);

    @Test
    void anInvoiceThatDeclaresNothingFrenchSaysWhyTheRulesDidNotApply() throws Exception {
        for (String sample : new String[] {Steps.CII, Steps.UBL}) {
            InvoiceCheck check = Steps.before(BrFrStep.class, sample);
            step.check(check);
            assertThat(check.notes()).as(sample).anyMatch(n -> n.startsWith("French CTC rules (BR-FR): not applied"));
            assertThat(check.layersRun()).as(sample).doesNotContain("profile");
        }
    }

    @Test
    void aFrenchBillingModeInBt23BringsTheFrenchRulesInForceTheDayTheInvoiceWasReceived() throws Exception {
        InvoiceCheck check = Steps.before(BrFrStep.class, Steps.CII);
        check.process = "S1";
        step.check(check);
        assertThat(check.layersRun()).endsWith("profile");
        assertThat(ruleSets(check)).containsKey("fr.ctc");
        // a foreign invoice judged by the French rules: their BR-FR findings, in French
        assertThat(check.findings()).isNotEmpty().allMatch(f -> f.rule().startsWith("BR-FR")
                && !f.message().startsWith("La facture ne respecte pas la règle"));
    }

    @Test
    void anExtendedCtcFrInvoiceIsCheckedAgainstTheFrenchRulesAndThoseOfItsProfile() throws Exception {
        InvoiceCheck check = Steps.before(BrFrStep.class, Steps.CII);
        check.guideline = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr";
        step.check(check);
        assertThat(check.layersRun()).endsWith("profile");
        assertThat(check.notes()).anyMatch(n -> n.startsWith("EXTENDED-CTC-FR rules"));
    }

    @Test
    void eachRuleSetAppliesFromItsDate() {
        RuleSets sets = ValidationArtefacts.shared().ruleSets();
        assertThat(sets.french()).hasSizeGreaterThanOrEqualTo(2);
        RuleSets.French first = sets.french().get(0);
        RuleSets.French second = sets.french().get(1);
        assertThat(second.inForce()).isAfter(first.inForce());
        assertThat(sets.frenchAt(second.inForce().minusDays(1))).isEqualTo(first);
        assertThat(sets.frenchAt(second.inForce())).isEqualTo(second);
        // before the first came into force, the first still judges
        assertThat(sets.frenchAt(LocalDate.of(2000, 1, 1))).isEqualTo(first);
        assertThat(RuleSets.compareVersions("1.3.16", "1.3.9")).isPositive();
        assertThat(RuleSets.compareVersions("1.4.0-04", "1.4.0-03")).isPositive();
    }

    private static java.util.Map<String, String> ruleSets(InvoiceCheck check) {
        return check.report(ValidationReport.COMPLETED, null).rules();
    }
}
