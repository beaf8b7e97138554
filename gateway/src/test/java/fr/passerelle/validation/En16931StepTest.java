package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class En16931StepTest {

    final En16931Step step = Steps.step(En16931Step.class);

    @Test
    void cenRulesCheckUblAndCii() throws Exception {
        for (String sample : new String[] {Steps.UBL, Steps.CII}) {
            InvoiceCheck check = Steps.before(En16931Step.class, sample);
            assertThat(step.isSkipped(check)).isFalse();
            step.check(check);
            assertThat(check.layersRun()).as(sample).containsExactly("xml", "schema", "en16931");
            assertThat(check.hasErrors()).as(sample + ": " + check.findings()).isFalse();
        }
    }

    @Test
    void aFacturXInvoiceHasItsProfileRulesInstead() throws Exception {
        assertThat(step.isSkipped(Steps.before(En16931Step.class, Steps.BASIC_PDF))).isTrue();
    }

    @Test
    void aSchemaErrorStopsHereUnlessAllLayersAreAsked() throws Exception {
        InvoiceCheck check = Steps.before(En16931Step.class, Steps.UBL);
        check.add(new Finding(Layer.SCHEMA, "TEST", Severity.ERROR, null, "erreur", "error"));
        assertThat(step.isSkipped(check)).isTrue();
    }
}
