package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;
import fr.passerelle.ops.HostileInputs;
import fr.passerelle.xml.XmlLimits;

/**
 * Files beyond the bounds get a verdict, a LIMIT-* rule with its layer and a French message, in
 * bounded time and memory — never an OutOfMemoryError, a StackOverflowError or no answer (the
 * 60 s timeout is a hang guard, not a speed test); and the bounds let legitimate files through.
 */
class HostileLimitsTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static ValidationReport validate(InvoiceValidator validator, Path file) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> validator.validate(file, file.getFileName().toString(),
                InvoiceValidator.Options.standalone(false)));
    }

    static Finding refused(Path file, String rule, Layer layer) {
        ValidationReport r = validate(HostileInputTest.VALIDATOR, file);
        assertThat(r.completed()).as(r.processingError()).isTrue();
        assertThat(r.verdict()).isEqualTo(ValidationReport.REJECTED);
        Finding f = r.firstError();
        assertThat(f.rule()).as(f.message()).isEqualTo(rule);
        assertThat(f.layer()).isEqualTo(layer);
        assertThat(f.message()).contains("le fichier est refusé sans être analysé");
        return f;
    }

    static byte[] cii() throws IOException {
        return Invoices.text("invoices/cii/CII_example1.xml").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHundredThousandNestedElementsInsideUblExtensions() throws IOException {
        Finding f = refused(HostileInputs.deepXml(dir.resolve("deep.xml"), 100_000), "LIMIT-XML-DEPTH", Layer.XML);
        assertThat(f.message()).contains("imbriqués sur plus de 128 niveaux").contains("<e>");
        assertThat(f.location()).startsWith("ligne ");
    }

    @Test
    void moreElementsThanTheLimit() throws IOException {
        Finding f = refused(HostileInputs.manyElements(dir.resolve("many.xml"), 1_000_001), "LIMIT-XML-ELEMENTS", Layer.XML);
        assertThat(f.message()).contains("plus de 1 000 000 éléments");
    }

    @Test
    void aTextNodeBeyondTheInvoiceTextLimit() throws IOException {
        Finding f = refused(HostileInputs.hugeText(dir.resolve("text.xml"), 17L << 20), "LIMIT-XML-TEXT", Layer.XML);
        assertThat(f.message()).contains("<t>").contains("16 Mo");
    }

    @Test
    void tooManyAttributesOnOneElement() throws IOException {
        Finding f = refused(HostileInputs.manyAttributes(dir.resolve("attrs.xml"), 100), "LIMIT-XML-ATTRIBUTES", Layer.XML);
        assertThat(f.message()).contains("<e>").contains("64 admis");
        // beyond the JDK's own limit (1000), the parser stops first: the same rule, its words
        refused(HostileInputs.manyAttributes(dir.resolve("attrs-10000.xml"), 10_000), "LIMIT-XML-ATTRIBUTES", Layer.XML);
    }

    @Test
    void billionLaughsXxeAndAnExternalDtdStayRefusedAsDoctypes() throws IOException {
        Path externalDtd = Invoices.write(dir, "external-dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice SYSTEM "
                + "\"http://127.0.0.1:9/evil.dtd\">\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>");
        for (Path file : new Path[] {HostileInputs.billionLaughs(dir.resolve("lol.xml")), HostileInputs.xxe(dir.resolve("xxe.xml")),
                externalDtd}) {
            ValidationReport r = validate(HostileInputTest.VALIDATOR, file);
            assertThat(r.firstError().rule()).isEqualTo("XML-DTD");
            assertThat(r.firstError().layer()).isEqualTo(Layer.XML);
            assertThat(r.findings().toString()).doesNotContain("root:").doesNotContain("lollol");
        }
    }

    @Test
    void anXIncludeIsNeverFollowed() throws IOException {
        String invoice = Invoices.text("invoices/ubl/ubl-tc434-example1.xml").replace("<cbc:Note>",
                "<cbc:Note><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>");
        ValidationReport r = validate(HostileInputTest.VALIDATOR, Invoices.write(dir, "xinclude.xml", invoice));
        assertThat(r.completed()).isTrue();
        assertThat(r.verdict()).isEqualTo(ValidationReport.REJECTED); // an element in a text field: schema error
        assertThat(r.toString()).doesNotContain("root:x:0");
    }

    @Test
    void wrongAndUnknownEncodings() throws IOException {
        assertThat(validate(HostileInputTest.VALIDATOR, HostileInputs.wrongEncoding(dir.resolve("latin1.xml")))
                .firstError().rule()).isEqualTo("XML-ENCODING");
        assertThat(validate(HostileInputTest.VALIDATOR, HostileInputs.unknownEncoding(dir.resolve("ebcdic.xml")))
                .firstError().rule()).isEqualTo("XML-ENCODING");
    }

    /** veraPDF never ends on this one (seen: over 60 s, no answer): the bounds refuse it before it runs. */
    @Test
    void aPageTreeThatLoopsUpItsParents() throws IOException {
        Finding f = refused(HostileInputs.parentLoop(dir.resolve("parent-loop.pdf"), cii()), "LIMIT-PDF-PAGETREE",
                Layer.CONTAINER);
        assertThat(f.message()).contains("/Parent");
    }

    @Test
    void aPageTreeThatContainsItself() throws IOException {
        Finding f = refused(HostileInputs.pageTreeLoop(dir.resolve("loop.pdf"), cii()), "LIMIT-PDF-PAGETREE", Layer.CONTAINER);
        assertThat(f.message()).contains("se contient lui-même");
        assertThat(f.location()).isEqualTo("arbre des pages");
    }

    @Test
    void fiftyThousandPages() throws IOException {
        Finding f = refused(HostileInputs.manyPages(dir.resolve("pages.pdf"), 50_000, cii()), "LIMIT-PDF-PAGES",
                Layer.CONTAINER);
        assertThat(f.message()).contains("50000 pages").contains("5000");
    }

    @Test
    void aFlateBombAttachmentNeverInflatesBeyondTheCap() throws IOException {
        Path bomb = HostileInputs.flateBombAttachment(dir.resolve("bomb.pdf"), 1L << 30);
        assertThat(Files.size(bomb)).isLessThan(4L << 20);
        Finding f = refused(bomb, "LIMIT-PDF-STREAM", Layer.CONTAINER);
        assertThat(f.message()).contains("128 Mo une fois décompressé");
    }

    /**
     * Eight streams of 1 MB of zeros, about 1 KB each on disk: each one's deflate bound (1032 times its
     * raw length) fits the 2 MB stream limit, together they pass the 4 MB total only once decoded.
     */
    @Test
    void streamsWithinTheStreamLimitButBeyondTheTotalTogetherAreRefused() throws IOException {
        Path pdf = HostileInputs.flateStreams(dir.resolve("streams.pdf"), cii(), 8, 1 << 20);
        InvoiceValidator tight = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true, XmlLimits.INVOICE,
                new PdfLimits(200_000, 5_000, 2L << 20, 4L << 20, 20L << 20));
        Finding f = validate(tight, pdf).firstError();
        assertThat(f.rule()).isEqualTo("LIMIT-PDF-STREAM");
        assertThat(f.message()).contains("dépassent ensemble 4 Mo");
        assertThat(f.location()).startsWith("objet ");

        InvoiceValidator roomy = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true, XmlLimits.INVOICE,
                new PdfLimits(200_000, 5_000, 2L << 20, 16L << 20, 20L << 20));
        assertThat(validate(roomy, pdf).findings()).noneMatch(finding -> finding.rule().startsWith("LIMIT-"));
    }

    /** A predictor is no plain Flate stream: it is decoded, under either spelling of its parameters. */
    @Test
    void aPredictorThatPadsItsRowsIsDecodedNotBounded() throws IOException {
        InvoiceValidator tight = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true, XmlLimits.INVOICE,
                new PdfLimits(200_000, 5_000, 64L << 10, 1L << 20, 20L << 20));
        for (COSName key : List.of(COSName.DECODE_PARMS, COSName.DP)) {
            Path pdf = HostileInputs.predictedRows(dir.resolve(key.getName() + ".pdf"), cii(), key);
            Finding f = validate(tight, pdf).firstError();
            assertThat(f.rule()).as(key.getName()).isEqualTo("LIMIT-PDF-STREAM");
            assertThat(f.message()).contains("Un flux du PDF dépasse");
        }
    }

    @Test
    void tightLimitsNameObjectsAndAttachment() {
        Path sample = Samples.sample("invoices/facturx/valid/Facture_FR_MINIMUM.pdf");
        InvoiceValidator fewObjects = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true, XmlLimits.INVOICE,
                new PdfLimits(10, 5_000, 128L << 20, 512L << 20, 20L << 20));
        assertThat(validate(fewObjects, sample).firstError().rule()).isEqualTo("LIMIT-PDF-OBJECTS");
        InvoiceValidator smallAttachment = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true,
                XmlLimits.INVOICE, new PdfLimits(200_000, 5_000, 128L << 20, 512L << 20, 1024));
        Finding f = validate(smallAttachment, sample).firstError();
        assertThat(f.rule()).isEqualTo("LIMIT-PDF-ATTACHMENT");
        assertThat(f.location()).startsWith("fichier joint ");
    }

    @Test
    void truncatedAndEncryptedPdfsKeepTheirRules() throws IOException {
        assertThat(validate(HostileInputTest.VALIDATOR, HostileInputs.encryptedPdf(dir.resolve("enc.pdf"), cii()))
                .firstError().rule()).isEqualTo("CONTAINER-ENCRYPTED");
        ValidationReport truncated = validate(HostileInputTest.VALIDATOR, HostileInputs.truncatedPdf(dir.resolve("cut.pdf"), cii()));
        assertThat(truncated.completed()).isTrue();
        assertThat(truncated.verdict()).isEqualTo(ValidationReport.REJECTED);
        assertThat(truncated.firstError().layer()).isEqualTo(Layer.CONTAINER);
    }

    /** 20,000 lines (the first line repeated, quantity and amount 0: the totals stay right) pass every limit. */
    @Test
    void aTwentyThousandLineInvoiceIsAccepted() throws IOException {
        String invoice = Invoices.text("invoices/ubl/ubl-tc434-example1.xml");
        int start = invoice.indexOf("<cac:InvoiceLine>");
        int end = invoice.indexOf("</cac:InvoiceLine>") + "</cac:InvoiceLine>".length();
        String line = invoice.substring(start, end)
                .replaceFirst("<cbc:InvoicedQuantity unitCode=\"EA\">[^<]*<", "<cbc:InvoicedQuantity unitCode=\"EA\">0<")
                .replaceFirst("<cbc:LineExtensionAmount currencyID=\"EUR\">[^<]*<", "<cbc:LineExtensionAmount currencyID=\"EUR\">0.00<");
        Path big = dir.resolve("20000-lines.xml");
        int last = invoice.lastIndexOf("</cac:InvoiceLine>") + "</cac:InvoiceLine>".length();
        try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            w.write(invoice, 0, last);
            for (int i = 0; i < 20_000 - 40; i++) {
                w.write("\n    " + line.replaceFirst("<cbc:ID>[^<]*</cbc:ID>", "<cbc:ID>L" + i + "</cbc:ID>"));
            }
            w.write(invoice, last, invoice.length() - last);
        }
        assertThat(Files.size(big)).isLessThan(20L << 20);
        ValidationReport r = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> HostileInputTest.VALIDATOR.validate(big,
                "20000-lines.xml", InvoiceValidator.Options.standalone(false)));
        assertThat(r.completed()).as(r.processingError()).isTrue();
        assertThat(r.findings()).noneMatch(f -> f.rule().startsWith("LIMIT-"));
        assertThat(r.verdict()).as(r.findings().toString()).startsWith("accepted");
    }
}
