package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import fr.passerelle.Samples;

class FormatSnifferTest {

    private final FormatSniffer sniffer = new FormatSniffer();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
            "invoices/ubl/ubl-tc434-example1.xml, UBL_INVOICE",
            "invoices/ubl/ubl-tc434-creditnote1.xml, UBL_CREDITNOTE",
            "invoices/ubl/guide-example1.xml, UBL_INVOICE",
            "invoices/cii/CII_example1.xml, CII",
            "invoices/cii/CII_business_example_01.xml, CII",
            "invoices/facturx/valid/Facture_FR_MINIMUM.pdf, FACTURX_PDF",
            "invoices/facturx/valid/Facture_FR_BASICWL.pdf, FACTURX_PDF",
            "invoices/facturx/valid/zugferd_2p0_EN16931_Einfach.pdf, FACTURX_PDF",
            "invoices/facturx/valid/zugferd_2p0_EXTENDED_Warenrechnung.pdf, FACTURX_PDF",
            "invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf, FACTURX_PDF",
            "pes/PESALR2_25060187900027_190328_001.xml, PES_ALLER",
            "pes/PES_ex.xml, PES_ALLER",
            "pes/PESALR1_unsigned.xml, PES_ALLER",
            "pes/PES_ACQUIT_ok.xml, PES_ACQUIT",
            "pes/PES_ACQUIT_ko_signature.xml, PES_ACQUIT",
            "pes/PES_Retour_depense.xml, PES_RETOUR",
            "pes/politique-signature-helios-1.2.250.1.131.1.5.18.21.1.4.pdf, PDF",
    })
    void recognisesEverySharedSample(String sample, Format expected) throws IOException {
        FormatSniffer.Sniff sniff = sniffer.sniff(Samples.sample(sample));
        assertThat(sniff.format()).isEqualTo(expected);
        assertThat(sniff.problem()).isNull();
    }

    @Test
    void readsTheBuyerIdentifiersOfUblAndCiiButNotTheTaxScheme() throws IOException {
        assertThat(sniffer.sniff(Samples.sample("invoices/ubl/ubl-tc434-example2.xml")).buyerIdentifiers())
                .containsExactly("987654321");
        assertThat(sniffer.sniff(Samples.sample("invoices/cii/CII_example2.xml")).buyerIdentifiers())
                .contains("987654321");
    }

    @Test
    void readsTheBuyerInsideAFacturXAttachment() throws IOException {
        FormatSniffer.Sniff sniff = sniffer.sniff(Samples.sample("invoices/facturx/valid/Facture_FR_BASICWL.pdf"));
        assertThat(sniff.note()).contains("factur-x.xml");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        assertThat(sniff("").problem().rule()).isEqualTo("INTAKE-EMPTY");
    }

    @Test
    void unknownContentIsRefused() throws IOException {
        assertThat(sniff("just some text").problem().rule()).isEqualTo("INTAKE-FORMAT");
        assertThat(sniff("<html><body/></html>").problem().rule()).isEqualTo("INTAKE-FORMAT");
    }

    @Test
    void malformedXmlIsRefusedWithItsLocation() throws IOException {
        FormatSniffer.Sniff sniff = sniff("<Invoice xmlns=\"" + FormatSniffer.UBL_INVOICE_NS + "\">\n  <a>\n</Invoice>");
        assertThat(sniff.problem().rule()).isEqualTo("XML-WELLFORMED");
        assertThat(sniff.problem().location()).startsWith("ligne 3");
    }

    @Test
    void doctypeAndExternalEntitiesAreRefused() throws IOException {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<Invoice xmlns=\"" + FormatSniffer.UBL_INVOICE_NS + "\">&x;</Invoice>";
        assertThat(sniff(xxe).problem().rule()).isEqualTo("XML-DTD");
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + "<l>&b;</l>";
        assertThat(sniff(billionLaughs).problem().rule()).isEqualTo("XML-DTD");
    }

    @Test
    void anUnusableEncodingDeclarationIsNamed() throws IOException {
        FormatSniffer.Sniff sniff = sniff("<?xml version=\"1.0\" encoding=\"UTF-8_W/O_BOM\"?><Invoice xmlns=\""
                + FormatSniffer.UBL_INVOICE_NS + "\"/>");
        assertThat(sniff.problem().rule()).isEqualTo("XML-ENCODING");
    }

    @Test
    void aTruncatedPdfIsStillAPdfForValidationToJudge() throws IOException {
        Path pdf = tmp.resolve("broken.pdf");
        Files.writeString(pdf, "%PDF-1.7\n%%EOF", StandardCharsets.ISO_8859_1);
        assertThat(sniffer.sniff(pdf).format()).isEqualTo(Format.PDF);
    }

    private FormatSniffer.Sniff sniff(String content) throws IOException {
        Path file = Files.createTempFile(tmp, "sniff", ".bin");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return sniffer.sniff(file);
    }

    @Test
    void aFlateBombAttachmentIsRefusedWithoutBeingInflated() throws IOException {
        Path bomb = fr.passerelle.ops.HostileInputs.flateBombAttachment(tmp.resolve("bombe.pdf"), 512L << 20);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        FormatSniffer.Sniff sniff = sniffer.sniff(bomb);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sniff.problem()).isNotNull();
        assertThat(sniff.problem().rule()).isEqualTo("LIMIT-PDF-ATTACHMENT");
        assertThat(sniff.problem().message()).contains("factur-x.xml").contains("Mo");
        // PDFBox alone inflates the whole 512 MB before the first byte is read
        assertThat(allocated).as("bytes allocated while sniffing").isLessThan(200L << 20);
    }
}
