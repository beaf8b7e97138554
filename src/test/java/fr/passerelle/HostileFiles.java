package fr.passerelle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile and broken files, made by the tests (nothing committed): each is what a careless or
 * malicious sender could put on any channel.
 */
public final class HostileFiles {

    private HostileFiles() {
    }

    /** A schema-valid UBL invoice carrying depth nested elements inside UBLExtensions (allowed: any content). */
    public static byte[] deepUbl(String siret, int depth) throws IOException {
        String invoice = Invoices.ublFor(siret);
        StringBuilder nest = new StringBuilder(depth * 16);
        nest.append("<ext:UBLExtensions xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\">"
                + "<ext:UBLExtension><ext:ExtensionContent>");
        nest.append("<h:n xmlns:h=\"urn:example:hostile\">").append("<h:n>".repeat(depth - 1));
        nest.append("</h:n>".repeat(depth));
        nest.append("</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>");
        int rootEnd = invoice.indexOf('>', invoice.indexOf("<Invoice")) + 1;
        return (invoice.substring(0, rootEnd) + nest + invoice.substring(rootEnd)).getBytes(StandardCharsets.UTF_8);
    }

    /** Nested entities that expand to gigabytes (a DOCTYPE: refused before any expansion). */
    public static byte[] billionLaughs() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [\n<!ENTITY l0 \"ha\">\n");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        dtd.append("]>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&l10;</Invoice>\n");
        return dtd.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An external entity that would read a local file. */
    public static byte[] xxe() {
        return ("<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
                + "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&secret;</Invoice>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An XInclude of a local file inside an otherwise valid invoice (XInclude is never processed). */
    public static byte[] xinclude(String siret) throws IOException {
        String invoice = Invoices.ublFor(siret);
        int rootEnd = invoice.indexOf('>', invoice.indexOf("<Invoice")) + 1;
        return (invoice.substring(0, rootEnd) + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                + "href=\"file:///etc/passwd\" parse=\"text\"/>" + invoice.substring(rootEnd)).getBytes(StandardCharsets.UTF_8);
    }

    /** A UBL invoice declared UTF-8 whose accented letters are written in ISO-8859-1. */
    public static byte[] wrongEncoding(String siret) throws IOException {
        return Invoices.ublFor(siret).replace("</cbc:Note>", " Évreux, coût réel</cbc:Note>")
                .replaceFirst("<cbc:ID>", "<cbc:ID>É").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A Factur-X-like PDF whose page tree contains itself (Kids of the root Pages names the root). */
    public static byte[] pdfWithPageTreeLoop(String siret) throws IOException {
        return rawPdf(List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"), invoiceAttachment(siret));
    }

    /** A PDF of many (empty) pages. */
    public static byte[] pdfWithPages(int pages, String siret) throws IOException {
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(i + 3).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + pages + " >>");
        for (int i = 0; i < pages; i++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
        }
        return rawPdf(objects, invoiceAttachment(siret));
    }

    /** The first half of a real Factur-X invoice. */
    public static byte[] truncatedPdf() throws IOException {
        byte[] whole = Files.readAllBytes(Samples.sample("invoices/facturx/valid/zugferd_2p1_BASIC_Einfach.pdf"));
        return java.util.Arrays.copyOf(whole, whole.length / 2);
    }

    /** A zip whose one entry inflates to inflatedBytes of zeros (an archive is never an invoice here). */
    public static byte[] zipBomb(long inflatedBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("facture.xml"));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < inflatedBytes; written += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** A CII invoice for that buyer to attach as factur-x.xml. */
    private static byte[] invoiceAttachment(String siret) throws IOException {
        return Invoices.ciiFor(siret).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A PDF written object by object: the given objects (1 is the catalog), then a factur-x.xml
     * attachment named from the catalog, with a correct cross-reference table.
     */
    private static byte[] rawPdf(List<String> objects, byte[] attachment) throws IOException {
        List<String> all = new ArrayList<>(objects);
        int spec = all.size() + 1;
        int file = spec + 1;
        all.set(0, all.get(0).replace(">>", "/Names << /EmbeddedFiles << /Names [(factur-x.xml) " + spec + " 0 R] >> >> "
                + "/AF [" + spec + " 0 R] >>"));
        all.add("<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /EF << /F " + file
                + " 0 R >> >>");
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(pdf, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        for (int i = 0; i < all.size(); i++) {
            offsets.add(pdf.size());
            write(pdf, (i + 1) + " 0 obj\n" + all.get(i) + "\nendobj\n");
        }
        offsets.add(pdf.size());
        write(pdf, file + " 0 obj\n<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length " + attachment.length
                + " >>\nstream\n");
        pdf.write(attachment);
        write(pdf, "\nendstream\nendobj\n");
        int xref = pdf.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (offsets.size() + 1) + "\n0000000000 65535 f \n");
        for (int offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        write(pdf, table + "trailer\n<< /Size " + (offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + xref
                + "\n%%EOF\n");
        return pdf.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
