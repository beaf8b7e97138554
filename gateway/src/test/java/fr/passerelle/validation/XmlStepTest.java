package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class XmlStepTest {

    final XmlStep step = Steps.step(XmlStep.class);
    final ValidationArtefacts artefacts = ValidationArtefacts.shared();

    @Test
    void aCiiInvoiceIsParsedOnceAndSummarised() throws Exception {
        InvoiceCheck check = Steps.before(XmlStep.class, Steps.CII);
        step.check(check);
        assertThat(check.layersRun()).containsExactly("xml");
        assertThat(check.syntax).isEqualTo("UN/CEFACT CII D16B");
        assertThat(check.schema).isSameAs(artefacts.cii());
        assertThat(check.invoice).isNotNull();
        assertThat(check.summary).isNotNull();
        assertThat(check.guideline).isNotNull();
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void aCreditNoteGetsItsOwnSchema() throws Exception {
        InvoiceCheck check = Steps.before(XmlStep.class, "ubl/ubl-tc434-creditnote1.xml");
        step.check(check);
        assertThat(check.syntax).isEqualTo("UBL 2.1 CreditNote");
        assertThat(check.schema).isSameAs(artefacts.ublCreditNote());
        assertThat(check.profile).isNull();
    }

    @Test
    void xmlThatIsNotWellFormedOrNoInvoiceEndsTheCheck() throws Exception {
        InvoiceCheck broken = Steps.before(XmlStep.class, Steps.UBL);
        broken.xml = "<Invoice><unclosed></Invoice>".getBytes(StandardCharsets.UTF_8);
        step.check(broken);
        assertThat(broken.findings()).singleElement().matches(f -> f.layer() == Layer.XML);
        assertThat(broken.ended()).isTrue();

        InvoiceCheck order = Steps.before(XmlStep.class, Steps.UBL);
        order.xml = "<Order/>".getBytes(StandardCharsets.UTF_8);
        step.check(order);
        assertThat(order.findings()).extracting(Finding::rule).containsExactly("XML-ROOT");
        assertThat(order.ended()).isTrue();
    }
}
