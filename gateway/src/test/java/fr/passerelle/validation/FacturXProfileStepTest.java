package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FacturXProfileStepTest {

    final FacturXProfileStep step = Steps.step(FacturXProfileStep.class);

    @Test
    void theProfileSchemaReplacesThePlainCiiOne() throws Exception {
        InvoiceCheck check = Steps.before(FacturXProfileStep.class, Steps.BASIC_PDF);
        assertThat(step.isSkipped(check)).isFalse();
        step.check(check);
        assertThat(check.profile).isEqualTo(FacturXProfile.BASIC);
        assertThat(check.schema).isSameAs(ValidationArtefacts.shared().profileSchema(FacturXProfile.BASIC));
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void anXmpLevelOtherThanTheInvoiceProfileIsAnErrorThatDoesNotEndTheCheck() throws Exception {
        InvoiceCheck check = Steps.before(FacturXProfileStep.class, Steps.BASIC_PDF);
        check.xmpLevel = "EXTENDED";
        step.check(check);
        assertThat(check.findings()).extracting(Finding::rule).containsExactly("FX-XMP-PROFILE");
        assertThat(check.ended()).isFalse();
        assertThat(check.stopsHere()).isTrue();
    }

    @Test
    void aFacturXAttachmentMustBeCii() throws Exception {
        InvoiceCheck check = Steps.before(FacturXProfileStep.class, Steps.BASIC_PDF);
        check.summarySyntax = SummaryReader.Syntax.UBL;
        step.check(check);
        assertThat(check.findings()).extracting(Finding::rule).containsExactly("FX-SYNTAX");
        assertThat(check.ended()).isTrue();
    }

    @Test
    void plainXmlHasNoFacturXPromises() throws Exception {
        assertThat(step.isSkipped(Steps.before(FacturXProfileStep.class, Steps.CII))).isTrue();
    }
}
