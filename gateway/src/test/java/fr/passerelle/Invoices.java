package fr.passerelle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;

/** Test invoices made from the shared samples at test time: a buyer of ours, a broken total, a stripped PDF. */
public final class Invoices {

    public static final String AUBEVAL_SIRET = "21750101400013";

    private Invoices() {
    }

    public static String text(String sample) throws IOException {
        return Files.readString(Samples.sample(sample), StandardCharsets.UTF_8);
    }

    /** The UBL sample ubl-tc434-example1 with the commune of that SIRET as its buyer (BT-46). */
    public static String ublFor(String siret) throws IOException {
        return text("invoices/ubl/ubl-tc434-example1.xml").replace(
                "<cac:PartyIdentification>\n                <cbc:ID>10202</cbc:ID>",
                "<cac:PartyIdentification>\n                <cbc:ID schemeID=\"0009\">" + siret + "</cbc:ID>");
    }

    /**
     * The PES_Aller sample PES_ex.xml (one dépense Bordereau 2372 of 2015, piece 6623) as the
     * accounting software of a commune would send it: its EnTetePES and a NomFic of the test's.
     */
    public static byte[] pesAllerFor(String idPost, String siret, String codCol, String codBud, String nomFic)
            throws IOException {
        return Files.readString(Samples.sample("pes/PES_ex.xml"), StandardCharsets.ISO_8859_1)
                .replace("<IdPost V=\"031007\"/><IdColl V=\"24310063300011\"/><CodCol V=\"100\"/><CodBud V=\"00\"/>",
                        "<IdPost V=\"" + idPost + "\"/><IdColl V=\"" + siret + "\"/><CodCol V=\"" + codCol
                                + "\"/><CodBud V=\"" + codBud + "\"/>")
                .replace("<NomFic V=\"SICOVAL201512104\"/>", "<NomFic V=\"" + nomFic + "\"/>")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The CII sample CII_example1 with the commune of that SIRET as its buyer. */
    public static String ciiFor(String siret) throws IOException {
        return text("invoices/cii/CII_example1.xml").replace("<ram:BuyerTradeParty>\n                <ram:ID>10202</ram:ID>",
                "<ram:BuyerTradeParty>\n                <ram:ID>" + siret + "</ram:ID>");
    }

    public static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    public static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** A copy of a Factur-X PDF changed by PDFBox (attachments, metadata), saved as a new file. */
    public static Path editPdf(Path source, Path target, PdfEdit edit) throws IOException {
        try (PDDocument pdf = Loader.loadPDF(source.toFile())) {
            edit.apply(pdf);
            pdf.save(target.toFile());
        }
        return target;
    }

    @FunctionalInterface
    public interface PdfEdit {
        void apply(PDDocument pdf) throws IOException;
    }

    /** Removes every embedded file: what is left is a plain PDF. */
    public static void stripAttachments(PDDocument pdf) {
        PDDocumentNameDictionary names = pdf.getDocumentCatalog().getNames();
        if (names != null) {
            names.setEmbeddedFiles(null);
        }
    }

    /** Rewrites the XMP metadata packet's text. */
    public static void editXmp(PDDocument pdf, UnaryOperator<String> change) throws IOException {
        PDMetadata metadata = pdf.getDocumentCatalog().getMetadata();
        String xmp;
        try (InputStream in = metadata.createInputStream()) {
            xmp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        metadata.importXMPMetadata(change.apply(xmp).getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the content of the structured invoice attached to the PDF. */
    public static void editAttachment(PDDocument pdf, UnaryOperator<String> change) throws IOException {
        PDEmbeddedFilesNameTreeNode tree = pdf.getDocumentCatalog().getNames().getEmbeddedFiles();
        for (var entry : tree.getNames().entrySet()) {
            PDComplexFileSpecification spec = entry.getValue();
            PDEmbeddedFile old = spec.getEmbeddedFile();
            String xml;
            try (InputStream in = old.createInputStream()) {
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            byte[] changed = change.apply(xml).getBytes(StandardCharsets.UTF_8);
            PDEmbeddedFile replacement = new PDEmbeddedFile(pdf, new ByteArrayInputStream(changed));
            replacement.setSubtype(old.getSubtype());
            replacement.setSize(changed.length);
            replacement.setModDate(old.getModDate());
            spec.setEmbeddedFile(replacement);
            spec.setEmbeddedFileUnicode(replacement);
        }
    }

    /** A small PDF whose page stream inflates to the given size (a "zip bomb" of spaces). */
    public static byte[] pdfBomb(long inflatedBytes) throws IOException {
        try (PDDocument pdf = new PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            org.apache.pdfbox.pdmodel.common.PDStream content = new org.apache.pdfbox.pdmodel.common.PDStream(pdf);
            try (java.io.OutputStream out = content.createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
                writeSpaces(out, inflatedBytes);
            }
            page.setContents(content);
            pdf.addPage(page);
            return bytes(pdf);
        }
    }

    public static void writeSpaces(java.io.OutputStream out, long count) throws IOException {
        byte[] spaces = new byte[1 << 16];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (long written = 0; written < count; written += spaces.length) {
            out.write(spaces);
        }
    }

    public static byte[] bytes(PDDocument pdf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pdf.save(out);
        return out.toByteArray();
    }
}
