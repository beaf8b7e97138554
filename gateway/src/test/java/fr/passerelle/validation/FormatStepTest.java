package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.xml.XmlLimits;

class FormatStepTest {

    final FormatStep step = Steps.step(FormatStep.class);

    @Test
    void anXmlInvoiceIsReadForTheNextLayers() throws Exception {
        InvoiceCheck check = Steps.before(FormatStep.class, Steps.UBL);
        step.check(check);
        assertThat(check.format).isEqualTo("UBL_INVOICE");
        assertThat(check.xml).isEqualTo(Files.readAllBytes(Samples.sample("invoices/" + Steps.UBL)));
        assertThat(check.ended()).isFalse();
        assertThat(check.layersRun()).isEmpty();
    }

    @Test
    void aPdfIsLeftToTheContainerStep() throws Exception {
        InvoiceCheck check = Steps.before(FormatStep.class, Steps.BASIC_PDF);
        step.check(check);
        assertThat(check.pdf).isTrue();
        assertThat(check.xml).isNull();
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void anXmlInvoiceBeyondTheValidableSizeEndsTheCheck() throws Exception {
        FormatStep small = new FormatStep(new FormatSniffer(XmlLimits.INVOICE, XmlLimits.PES,
                PdfLimits.DEFAULT.maxAttachmentSize()), 1000, XmlLimits.INVOICE);
        InvoiceCheck check = Steps.before(FormatStep.class, Steps.UBL);
        small.check(check);
        assertThat(check.findings()).extracting(Finding::rule).containsExactly("XML-SIZE");
        assertThat(check.layersRun()).containsExactly("xml");
        assertThat(check.ended()).isTrue();
    }

    @Test
    void aFileThatIsNoInvoiceEndsTheCheck(@TempDir Path dir) throws Exception {
        Path text = Invoices.write(dir, "notes.txt", "Ceci n'est pas une facture.");
        InvoiceCheck check = Steps.before(FormatStep.class, text, Steps.STANDALONE);
        step.check(check);
        assertThat(check.findings()).hasSize(1).allMatch(f -> f.severity() == Severity.ERROR);
        assertThat(check.ended()).isTrue();
    }
}
