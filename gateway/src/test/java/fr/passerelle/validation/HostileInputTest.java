package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;

/**
 * Hostile and broken files: each gets a clear rejection naming its rule, never a crash, an
 * out-of-memory or a "valid"; and the validator keeps judging the next file correctly.
 */
class HostileInputTest {

    static final InvoiceValidator VALIDATOR = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true);

    @TempDir
    Path dir;

    private static Finding rejected(Path file) {
        ValidationReport r = VALIDATOR.validate(file, file.getFileName().toString(),
                InvoiceValidator.Options.standalone(false));
        assertThat(r.completed()).as(r.processingError()).isTrue();
        assertThat(r.verdict()).isEqualTo(ValidationReport.REJECTED);
        assertThat(r.firstError().message()).isNotBlank();
        return r.firstError();
    }

    @AfterEach
    void theValidatorStillJudgesAGoodInvoice() {
        ValidationReport r = VALIDATOR.validate(Samples.sample("invoices/ubl/ubl-tc434-example1.xml"), "good.xml",
                InvoiceValidator.Options.standalone(false));
        assertThat(r.verdict()).isEqualTo(ValidationReport.ACCEPTED);
    }

    @Test
    void aFifteenBytePdf() throws IOException {
        Finding f = rejected(Invoices.write(dir, "tiny.pdf", "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(f.layer()).isEqualTo(Layer.CONTAINER);
        assertThat(f.rule()).isIn("CONTAINER-PDF", "PDF-UNSTRUCTURED");
    }

    @Test
    void anEncryptedPdf() throws IOException {
        Path encrypted = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"),
                dir.resolve("encrypted.pdf"), pdf -> {
                    StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "secret", new AccessPermission());
                    policy.setEncryptionKeyLength(128);
                    pdf.protect(policy);
                });
        Finding f = rejected(encrypted);
        assertThat(f.rule()).isEqualTo("CONTAINER-ENCRYPTED");
        assertThat(f.message()).contains("protégé");
    }

    @Test
    void anEncryptedPdfThatOpensWithoutPassword() throws IOException {
        Path encrypted = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"),
                dir.resolve("owner-only.pdf"), pdf -> pdf.protect(new StandardProtectionPolicy("owner", "",
                        new AccessPermission())));
        assertThat(rejected(encrypted).rule()).isEqualTo("CONTAINER-ENCRYPTED");
    }

    @Test
    void aPdfWithAHugeCompressedStreamOnItsPage() throws IOException {
        byte[] bomb = Invoices.pdfBomb(256L << 20); // 256 MB once inflated, a few hundred KB on disk
        assertThat(bomb.length).isLessThan(4 << 20);
        Finding f = rejected(Invoices.write(dir, "bomb.pdf", bomb));
        assertThat(f.layer()).isEqualTo(Layer.CONTAINER);
    }

    @Test
    void aFacturXWhoseAttachmentInflatesBeyondTheLimit() throws IOException {
        Path bomb = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"),
                dir.resolve("attachment-bomb.pdf"), pdf -> {
                    var spec = pdf.getDocumentCatalog().getNames().getEmbeddedFiles().getNames().values().iterator().next();
                    var embedded = new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(pdf,
                            new java.io.ByteArrayInputStream(new byte[0]));
                    try (OutputStream out = new DeflaterOutputStream(
                            embedded.getCOSObject().createRawOutputStream(), new Deflater(9))) {
                        embedded.getCOSObject().setItem(COSName.FILTER, COSName.FLATE_DECODE);
                        out.write("<?xml version=\"1.0\"?><x>".getBytes(StandardCharsets.US_ASCII));
                        Invoices.writeSpaces(out, 64L << 20);
                    }
                    spec.setEmbeddedFile(embedded);
                    spec.setEmbeddedFileUnicode(embedded);
                });
        Finding f = rejected(bomb);
        assertThat(f.rule()).isEqualTo("XML-SIZE");
    }

    @Test
    void anXmlWithADoctype() throws IOException {
        Finding f = rejected(Invoices.write(dir, "dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY a \"b\">]>\n"
                + Invoices.text("invoices/ubl/ubl-tc434-example1.xml").replaceFirst("<\\?xml[^>]*>", "")));
        assertThat(f.layer()).isEqualTo(Layer.XML);
        assertThat(f.rule()).isEqualTo("XML-DTD");
    }

    @Test
    void anXmlWithAnExternalEntity() throws IOException {
        Finding f = rejected(Invoices.write(dir, "xxe.xml", "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<Invoice>&xxe;</Invoice>"));
        assertThat(f.rule()).isEqualTo("XML-DTD");
        assertThat(f.message()).doesNotContain("root:");
    }

    @Test
    void anXmlThatUsesAnUndeclaredEntity() throws IOException {
        Finding f = rejected(Invoices.write(dir, "entity.xml", Invoices.text("invoices/ubl/ubl-tc434-example1.xml")
                .replace("ODIN 59", "&xxe;")));
        assertThat(f.rule()).isEqualTo("XML-ENTITY");
    }

    @Test
    void aHundredMegabyteXml() throws IOException {
        Path big = dir.resolve("big.xml");
        String invoice = Invoices.text("invoices/ubl/ubl-tc434-example1.xml");
        int cut = invoice.indexOf("</cbc:CustomizationID>") + "</cbc:CustomizationID>".length();
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write(invoice.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            out.write("<!--".getBytes(StandardCharsets.US_ASCII));
            Invoices.writeSpaces(out, 100L << 20);
            out.write("-->".getBytes(StandardCharsets.US_ASCII));
            out.write(invoice.substring(cut).getBytes(StandardCharsets.UTF_8));
        }
        Finding f = rejected(big);
        assertThat(f.rule()).isEqualTo("XML-SIZE");
        assertThat(f.message()).contains("20 Mo");
    }

    @Test
    void anXmlWhoseBytesAreNotInItsDeclaredEncoding() throws IOException {
        String latin1 = Invoices.text("invoices/ubl/ubl-tc434-example1.xml").replace("ODIN 59", "Mairie d'Évreux");
        Finding f = rejected(Invoices.write(dir, "latin1.xml", latin1.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(f.layer()).isEqualTo(Layer.XML);
        assertThat(f.rule()).isEqualTo("XML-ENCODING");
        assertThat(f.location()).startsWith("ligne ");
    }

    @Test
    void anEmptyFileAndAFileThatIsNoInvoice() throws IOException {
        assertThat(rejected(Invoices.write(dir, "empty.xml", new byte[0])).rule()).isEqualTo("INTAKE-EMPTY");
        assertThat(rejected(Invoices.write(dir, "note.txt", "bonjour")).rule()).isEqualTo("INTAKE-FORMAT");
        assertThat(rejected(Samples.sample("pes/PES_ex.xml")).rule()).isEqualTo("INTAKE-FORMAT");
    }
}
