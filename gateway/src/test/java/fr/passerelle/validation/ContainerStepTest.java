package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;

class ContainerStepTest {

    final ContainerStep step = Steps.step(ContainerStep.class);

    @Test
    void aFacturXPdfGivesItsXmlAndDeclaredLevel() throws Exception {
        InvoiceCheck check = Steps.before(ContainerStep.class, Steps.BASIC_PDF);
        assertThat(step.isSkipped(check)).isFalse();
        step.check(check);
        assertThat(check.layersRun()).containsExactly("container");
        assertThat(check.format).isEqualTo("FACTURX_PDF");
        assertThat(check.facturX).isTrue();
        assertThat(check.xml).isNotEmpty();
        assertThat(FacturXProfile.fromConformanceLevel(check.xmpLevel)).isEqualTo(FacturXProfile.BASIC);
        assertThat(check.ended()).isFalse();
    }

    @Test
    void aPdfWithoutInvoiceEndsTheCheck(@TempDir Path dir) throws Exception {
        Path plain = Invoices.editPdf(Samples.sample("invoices/" + Steps.BASIC_PDF), dir.resolve("plain.pdf"),
                Invoices::stripAttachments);
        InvoiceCheck check = Steps.before(ContainerStep.class, plain, Steps.STANDALONE);
        step.check(check);
        assertThat(check.findings()).extracting(Finding::rule).contains("PDF-UNSTRUCTURED");
        assertThat(check.format).isEqualTo("PDF");
        assertThat(check.ended()).isTrue();
    }

    @Test
    void anXmlFileHasNoContainer() throws Exception {
        assertThat(step.isSkipped(Steps.before(ContainerStep.class, Steps.UBL))).isTrue();
    }
}
