package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FacturXRulesStepTest {

    final FacturXRulesStep step = Steps.step(FacturXRulesStep.class);

    @Test
    void theProfileRulesCountForTheEn16931AndProfileLayers() throws Exception {
        InvoiceCheck check = Steps.before(FacturXRulesStep.class, Steps.BASIC_PDF);
        assertThat(step.isSkipped(check)).isFalse();
        step.check(check);
        assertThat(check.layersRun()).endsWith("en16931", "profile");
        assertThat(check.hasErrors()).as(check.findings().toString()).isFalse();
    }

    @Test
    void aMinimumInvoiceIsWarnedAboutAndStillChecked() throws Exception {
        InvoiceCheck check = Steps.before(FacturXRulesStep.class, Steps.MINIMUM_PDF);
        step.check(check);
        assertThat(check.findings()).filteredOn(f -> f.rule().equals("FX-NOT-EN16931"))
                .singleElement().matches(f -> f.severity() == Severity.WARNING && f.layer() == Layer.PROFILE);
        assertThat(check.notes()).contains("EN 16931 core rules: profile MINIMUM is checked by its own Factur-X rules");
    }

    @Test
    void plainXmlHasTheCenRulesInstead() throws Exception {
        assertThat(step.isSkipped(Steps.before(FacturXRulesStep.class, Steps.CII))).isTrue();
    }
}
