package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;
import fr.passerelle.tenant.TenantRegistry;

/**
 * Negative cases made from valid samples (a mandatory field removed, a total broken, the PDF
 * corrupted, the attachment stripped, the wrong profile in the XMP): each names its exact rule.
 */
class BrokenInvoicesTest {

    static final InvoiceValidator VALIDATOR = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true);
    static final InvoiceValidator.Options STANDALONE = InvoiceValidator.Options.standalone(false);

    @TempDir
    Path dir;

    private ValidationReport validate(Path file) {
        return VALIDATOR.validate(file, file.getFileName().toString(), STANDALONE);
    }

    private static Finding error(ValidationReport r) {
        assertThat(r.completed()).as(r.processingError()).isTrue();
        assertThat(r.verdict()).isEqualTo(ValidationReport.REJECTED);
        return r.firstError();
    }

    private static List<String> errors(ValidationReport r) {
        return r.findings().stream().filter(f -> f.severity() == Severity.ERROR).map(Finding::rule).toList();
    }

    @Test
    void aUblTotalThatDoesNotAddUpBreaksBrCo16() throws IOException {
        String broken = Invoices.text("invoices/ubl/ubl-tc434-example1.xml")
                .replace("<cbc:PayableAmount currencyID=\"EUR\">250.33", "<cbc:PayableAmount currencyID=\"EUR\">260.33");
        ValidationReport r = validate(Invoices.write(dir, "total.xml", broken));
        Finding f = error(r);
        assertThat(f.layer()).isEqualTo(Layer.EN16931);
        assertThat(f.rule()).isEqualTo("BR-CO-16");
        assertThat(f.location()).startsWith("/ubl:Invoice");
        assertThat(f.message()).contains("net à payer");
        assertThat(f.text()).contains("[BR-CO-16]");
        assertThat(errors(r)).containsOnly("BR-CO-16");
    }

    @Test
    void aCiiGrandTotalThatDoesNotAddUpBreaksBrCo15() throws IOException {
        String broken = Invoices.text("invoices/cii/CII_example1.xml")
                .replace("<ram:GrandTotalAmount>250.33", "<ram:GrandTotalAmount>251.33");
        ValidationReport r = validate(Invoices.write(dir, "total.xml", broken));
        assertThat(errors(r)).contains("BR-CO-15");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("BR-CO-15"))
                .allSatisfy(f -> assertThat(f.layer()).isEqualTo(Layer.EN16931));
    }

    @Test
    void aMissingBuyerNameBreaksBr07() throws IOException {
        String broken = Invoices.text("invoices/ubl/ubl-tc434-example1.xml")
                .replace("<cbc:RegistrationName>ODIN 59</cbc:RegistrationName>", "");
        Finding f = error(validate(Invoices.write(dir, "buyer.xml", broken)));
        assertThat(f.rule()).isEqualTo("BR-07");
        assertThat(f.message()).contains("nom de l'acheteur");
    }

    @Test
    void anElementOutOfPlaceIsASchemaErrorWithItsLineAndTheLaterLayersDoNotRun() throws IOException {
        String broken = Invoices.text("invoices/ubl/ubl-tc434-example1.xml")
                .replace("<cbc:IssueDate>", "<cbc:Surprise>1</cbc:Surprise><cbc:IssueDate>");
        ValidationReport r = validate(Invoices.write(dir, "schema.xml", broken));
        Finding f = error(r);
        assertThat(f.layer()).isEqualTo(Layer.SCHEMA);
        assertThat(f.rule()).isEqualTo("cvc-complex-type.2.4.a");
        assertThat(f.location()).matches("ligne \\d+, colonne \\d+");
        assertThat(f.text()).contains("Surprise");
        assertThat(r.layersRun()).doesNotContain(Layer.EN16931.id());
    }

    @Test
    void aMalformedInvoiceNamesLineAndColumn() throws IOException {
        String broken = Invoices.text("invoices/cii/CII_example1.xml").replace("</rsm:ExchangedDocument>", "");
        Finding f = error(validate(Invoices.write(dir, "malformed.xml", broken)));
        assertThat(f.layer()).isEqualTo(Layer.XML);
        assertThat(f.rule()).isEqualTo("XML-WELLFORMED");
        assertThat(f.location()).matches("ligne \\d+, colonne \\d+");
    }

    @Test
    void aFacturXWithoutItsAttachmentIsAPlainPdfWhichCommunesRefuseByDefault() throws IOException {
        Path stripped = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"),
                dir.resolve("stripped.pdf"), Invoices::stripAttachments);
        ValidationReport r = validate(stripped);
        Finding f = error(r);
        assertThat(f.layer()).isEqualTo(Layer.CONTAINER);
        assertThat(f.rule()).isEqualTo("PDF-UNSTRUCTURED");
        assertThat(r.format()).isEqualTo("PDF");
    }

    @Test
    void theXmpAnnouncingAnotherProfileThanTheInvoiceIsAContainerError() throws IOException {
        Path wrong = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"),
                dir.resolve("xmp.pdf"), pdf -> Invoices.editXmp(pdf,
                        xmp -> xmp.replaceAll("ConformanceLevel>BASIC<", "ConformanceLevel>EXTENDED<")
                                .replaceAll("ConformanceLevel=\"BASIC\"", "ConformanceLevel=\"EXTENDED\"")));
        ValidationReport r = validate(wrong);
        assertThat(errors(r)).contains("FX-XMP-PROFILE");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("FX-XMP-PROFILE"))
                .allSatisfy(f -> assertThat(f.message()).contains("EXTENDED").contains("BASIC"));
    }

    @Test
    void aBrokenTotalInsideAFacturXIsAnEn16931Error() throws IOException {
        Path broken = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p0_EN16931_Einfach.pdf"),
                dir.resolve("total.pdf"), pdf -> Invoices.editAttachment(pdf,
                        xml -> xml.replaceFirst("<ram:GrandTotalAmount>([0-9.]+)</ram:GrandTotalAmount>",
                                "<ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>")));
        ValidationReport r = validate(broken);
        assertThat(r.verdict()).isEqualTo(ValidationReport.REJECTED);
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("BR-CO-15"))
                .isNotEmpty().allSatisfy(f -> assertThat(f.layer()).isEqualTo(Layer.EN16931));
    }

    @Test
    void aTruncatedPdfIsAContainerErrorNotACrash() throws IOException {
        byte[] pdf = Files.readAllBytes(Samples.sample("invoices/facturx/valid/zugferd_2p0_EN16931_Einfach.pdf"));
        byte[] half = java.util.Arrays.copyOf(pdf, pdf.length / 3);
        ValidationReport r = validate(Invoices.write(dir, "truncated.pdf", half));
        Finding f = error(r);
        assertThat(f.layer()).isEqualTo(Layer.CONTAINER);
    }

    @Test
    void aCommuneThatRefusesMinimumInvoicesRejectsThemAndRoutingChecksTheBuyer(@TempDir Path config) throws IOException {
        TenantRegistry tenants = TenantRegistry.load(Files.writeString(config.resolve("tenants.yaml"), """
                communes:
                  - id: aubeval
                    name: "Commune d’Aubeval"
                    siret: "21750101400013"
                    idPost: "017001"
                    codCol: "100"
                    codBuds: ["01"]
                    invoices:
                      minimumProfiles: reject
                      requireServiceCode: true
                """));
        ValidationReport minimum = VALIDATOR.validate(Samples.sample("invoices/facturx/valid/Facture_FR_MINIMUM.pdf"),
                "minimum.pdf", new InvoiceValidator.Options(false, tenants, "aubeval"));
        assertThat(error(minimum).rule()).isEqualTo("FX-NOT-EN16931");

        Path ours = Invoices.write(dir, "ours.xml", Invoices.ublFor(Invoices.AUBEVAL_SIRET));
        ValidationReport noServiceCode = VALIDATOR.validate(ours, "ours.xml", new InvoiceValidator.Options(false, tenants,
                "aubeval"));
        assertThat(error(noServiceCode).rule()).isEqualTo("ROUTING-SERVICE-CODE");
        assertThat(noServiceCode.firstError().layer()).isEqualTo(Layer.ROUTING);

        Path withCode = Invoices.write(dir, "code.xml", Invoices.ublFor(Invoices.AUBEVAL_SIRET)
                .replaceFirst("(</cbc:DocumentCurrencyCode>)", "$1<cbc:BuyerReference>SERV-42</cbc:BuyerReference>"));
        ValidationReport ok = VALIDATOR.validate(withCode, "code.xml", new InvoiceValidator.Options(false, tenants, "aubeval"));
        assertThat(ok.verdict()).as(ok.findings().toString()).isEqualTo(ValidationReport.ACCEPTED);
        assertThat(ok.summary().serviceCode()).isEqualTo("SERV-42");
        assertThat(ok.layersRun()).contains(Layer.ROUTING.id());

        Path elsewhere = Invoices.write(dir, "elsewhere.xml", Invoices.text("invoices/ubl/ubl-tc434-example1.xml"));
        ValidationReport unknown = VALIDATOR.validate(elsewhere, "elsewhere.xml", new InvoiceValidator.Options(false,
                tenants, "aubeval"));
        assertThat(error(unknown).rule()).isEqualTo("ROUTING-BUYER");
    }
}
