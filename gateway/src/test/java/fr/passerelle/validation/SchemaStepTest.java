package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import fr.passerelle.Samples;

class SchemaStepTest {

    final SchemaStep step = Steps.step(SchemaStep.class);

    @Test
    void aValidInvoiceMeetsItsSchema() throws Exception {
        InvoiceCheck check = Steps.before(SchemaStep.class, Steps.UBL);
        step.check(check);
        assertThat(check.layersRun()).containsExactly("xml", "schema");
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void anElementTheSchemaDoesNotKnowIsAnError() throws Exception {
        InvoiceCheck check = Steps.before(SchemaStep.class, Steps.UBL);
        check.xml = new String(check.xml, StandardCharsets.UTF_8)
                .replaceFirst("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>")
                .getBytes(StandardCharsets.UTF_8);
        step.check(check);
        assertThat(check.findings()).isNotEmpty().allMatch(f -> f.layer() == Layer.SCHEMA);
    }

    /** A BASIC invoice whose XMP says MINIMUM: MINIMUM's schema refuses it, its own profile's does not. */
    @Test
    void aFacturXWhoseXmpNamesAnotherProfileIsCheckedAgainstItsOwn() throws Exception {
        InvoiceCheck check = Steps.before(XmlStep.class, Steps.BASIC_PDF);
        check.xmpLevel = "MINIMUM";
        Steps.step(XmlStep.class).check(check);
        Steps.step(FacturXProfileStep.class).check(check);
        assertThat(check.schemaFindingsOfParse()).as("the parse checked MINIMUM's schema, not the layer's").isNull();
        assertThat(SchemaLayer.run(ValidationArtefacts.shared().profileSchema(FacturXProfile.MINIMUM), check.xml))
                .isNotEmpty();
        step.check(check);
        assertThat(check.findings()).noneMatch(f -> f.layer() == Layer.SCHEMA)
                .anyMatch(f -> f.rule().equals("FX-XMP-PROFILE"));
    }

    @Test
    void anEarlierErrorStopsHereUnlessAllLayersAreAsked() throws Exception {
        InvoiceCheck stopped = Steps.before(SchemaStep.class, Steps.BASIC_PDF);
        stopped.add(new Finding(Layer.CONTAINER, "TEST", Severity.ERROR, null, "erreur", "error"));
        assertThat(step.isSkipped(stopped)).isTrue();

        InvoiceCheck all = Steps.before(SchemaStep.class, Samples.sample("invoices/" + Steps.BASIC_PDF),
                InvoiceValidator.Options.standalone(true));
        all.add(new Finding(Layer.CONTAINER, "TEST", Severity.ERROR, null, "erreur", "error"));
        assertThat(step.isSkipped(all)).isFalse();
    }
}
