package fr.passerelle.ops;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Calendar;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;

import fr.passerelle.pes.PesHeader;
import fr.passerelle.pes.PesNames;
import fr.passerelle.pes.PjFlowWriter;
import fr.passerelle.pes.PjInput;

/**
 * Hostile inputs made in code (nothing binary is committed): the benchmark {@code bench hostile}
 * and the tests use the same ones. XML cases are a UBL invoice with something planted inside its
 * UBLExtensions (schema-valid: ExtensionContent takes any element); PDF cases are a Factur-X-like
 * PDF made with PDFBox, attachment {@code factur-x.xml} included, so that every layer would run.
 */
public final class HostileInputs {

    static final String UBL_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
            + "xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\" "
            + "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n"
            + "<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>";
    static final String UBL_TAIL = "</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>\n"
            + "<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>HOSTILE-1</cbc:ID>\n"
            + "</Invoice>\n";

    private HostileInputs() {
    }

    /** A UBL invoice with {@code depth} nested elements inside its UBLExtensions. */
    public static Path deepXml(Path target, int depth) throws IOException {
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write(UBL_HEAD);
            for (int i = 0; i < depth; i++) {
                w.write("<x:e xmlns:x=\"urn:x\">");
            }
            for (int i = 0; i < depth; i++) {
                w.write("</x:e>");
            }
            w.write(UBL_TAIL);
        }
        return target;
    }

    /** A UBL invoice with {@code count} sibling elements inside its UBLExtensions. */
    public static Path manyElements(Path target, int count) throws IOException {
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write(UBL_HEAD + "<x:l xmlns:x=\"urn:x\">");
            for (int i = 0; i < count; i++) {
                w.write("<x:e/>");
            }
            w.write("</x:l>" + UBL_TAIL);
        }
        return target;
    }

    /** A UBL invoice with one text node of {@code chars} characters. */
    public static Path hugeText(Path target, long chars) throws IOException {
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write(UBL_HEAD + "<x:t xmlns:x=\"urn:x\">");
            char[] line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=".repeat(64).toCharArray();
            for (long written = 0; written < chars; written += line.length) {
                w.write(line, 0, (int) Math.min(line.length, chars - written));
            }
            w.write("</x:t>" + UBL_TAIL);
        }
        return target;
    }

    /** One element with {@code count} attributes. */
    public static Path manyAttributes(Path target, int count) throws IOException {
        StringBuilder e = new StringBuilder("<x:e xmlns:x=\"urn:x\"");
        for (int i = 0; i < count; i++) {
            e.append(" a").append(i).append("=\"v\"");
        }
        return write(target, UBL_HEAD + e + "/>" + UBL_TAIL);
    }

    public static Path billionLaughs(Path target) throws IOException {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [\n<!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        return write(target, dtd + "]>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&lol9;</Invoice>");
    }

    public static Path xxe(Path target) throws IOException {
        return write(target, "<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&xxe;</Invoice>");
    }

    /** Bytes that are not UTF-8 in a file that says it is. */
    public static Path wrongEncoding(Path target) throws IOException {
        Files.write(target, (UBL_HEAD + "<x:t xmlns:x=\"urn:x\">Évreux</x:t>" + UBL_TAIL).getBytes(StandardCharsets.ISO_8859_1));
        return target;
    }

    public static Path unknownEncoding(Path target) throws IOException {
        return write(target, UBL_HEAD.replace("UTF-8", "X-NO-SUCH-CHARSET") + UBL_TAIL);
    }

    /** A PES_Aller carrying one PJ of {@code randomBytes} incompressible bytes (about 1.37× that as base64). */
    public static Path pesWithBigPj(Path target, long randomBytes) throws IOException {
        PesHeader header = new PesHeader("017001", "21170001500017", "100", "01", "Commune d'essai", LocalDate.of(2026, 12, 5));
        PjInput pj = new PjInput(PesNames.idUnique("211700015", 1), "grosse-piece.pdf", PjInput.TYPE_DEPENSE,
                "Piece volumineuse", "application/pdf", () -> random(randomBytes), randomBytes);
        return PjFlowWriter.write(target, header, PesNames.nomFic(header.idColl(), header.dteStr(), 1), List.of(pj));
    }

    /** A PES_Aller with {@code depth} nested elements planted before its end. */
    public static Path deepPes(Path target, Path pes, int depth) throws IOException {
        String text = new String(Files.readAllBytes(pes), StandardCharsets.ISO_8859_1);
        int end = text.lastIndexOf("</");
        StringBuilder deep = new StringBuilder(text.substring(0, end));
        deep.append("<e>".repeat(depth)).append("</e>".repeat(depth)).append(text.substring(end));
        Files.write(target, deep.toString().getBytes(StandardCharsets.ISO_8859_1));
        return target;
    }

    private static InputStream random(long bytes) {
        SplittableRandom random = new SplittableRandom(20261205);
        return new InputStream() {
            long left = bytes;

            @Override
            public int read() {
                return left-- > 0 ? random.nextInt(256) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }

    /** A Factur-X-like PDF: {@code pages} blank pages and {@code attachment} as factur-x.xml. */
    public static PDDocument facturXLike(int pages, byte[] attachment) throws IOException {
        PDDocument pdf = new PDDocument();
        for (int i = 0; i < pages; i++) {
            pdf.addPage(new PDPage());
        }
        PDEmbeddedFile embedded = new PDEmbeddedFile(pdf, new ByteArrayInputStream(attachment), COSName.FLATE_DECODE);
        embedded.setSubtype("text/xml");
        embedded.setSize(attachment.length);
        embedded.setModDate(Calendar.getInstance());
        attach(pdf, embedded);
        return pdf;
    }

    private static void attach(PDDocument pdf, PDEmbeddedFile embedded) {
        PDComplexFileSpecification spec = new PDComplexFileSpecification();
        spec.setFile("factur-x.xml");
        spec.setFileUnicode("factur-x.xml");
        spec.setEmbeddedFile(embedded);
        spec.setEmbeddedFileUnicode(embedded);
        spec.getCOSObject().setName(COSName.getPDFName("AFRelationship"), "Data");
        PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
        tree.setNames(java.util.Map.of("factur-x.xml", spec));
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(pdf.getDocumentCatalog());
        names.setEmbeddedFiles(tree);
        pdf.getDocumentCatalog().setNames(names);
    }

    /** A Factur-X-like PDF whose page tree holds itself: /Pages lists /Pages among its kids. */
    public static Path pageTreeLoop(Path target, byte[] attachment) throws IOException {
        try (PDDocument pdf = facturXLike(1, attachment)) {
            COSDictionary root = pdf.getDocumentCatalog().getPages().getCOSObject();
            ((COSArray) root.getDictionaryObject(COSName.KIDS)).add(root);
            pdf.save(target.toFile());
        }
        return target;
    }

    /**
     * A Factur-X-like PDF whose page tree loops upwards: /Pages has a /Parent whose /Parent is
     * itself, and the page inherits its MediaBox and Resources. veraPDF 1.x looks inherited
     * attributes up that chain without end (PDFBox and veraPDF both stop a /Kids loop).
     */
    public static Path parentLoop(Path target, byte[] attachment) throws IOException {
        try (PDDocument pdf = facturXLike(1, attachment)) {
            COSDictionary root = pdf.getDocumentCatalog().getPages().getCOSObject();
            COSDictionary above = new COSDictionary();
            above.setItem(COSName.TYPE, COSName.PAGES);
            COSArray kids = new COSArray();
            kids.add(root);
            above.setItem(COSName.KIDS, kids);
            above.setItem(COSName.PARENT, root);
            above.setInt(COSName.COUNT, 1);
            root.setItem(COSName.PARENT, above);
            COSDictionary page = pdf.getPage(0).getCOSObject();
            page.removeItem(COSName.MEDIA_BOX);
            page.removeItem(COSName.RESOURCES);
            pdf.save(target.toFile());
        }
        return target;
    }

    public static Path manyPages(Path target, int pages, byte[] attachment) throws IOException {
        try (PDDocument pdf = facturXLike(pages, attachment)) {
            pdf.save(target.toFile());
        }
        return target;
    }

    /** factur-x.xml as a Flate stream of {@code inflated} bytes (an XML start, then spaces): a few hundred KB on disk. */
    public static Path flateBombAttachment(Path target, long inflated) throws IOException {
        try (PDDocument pdf = facturXLike(1, new byte[0])) {
            PDEmbeddedFile embedded = new PDEmbeddedFile(pdf, new ByteArrayInputStream(new byte[0]));
            try (OutputStream out = new DeflaterOutputStream(embedded.getCOSObject().createRawOutputStream(),
                    new Deflater(9))) {
                embedded.getCOSObject().setItem(COSName.FILTER, COSName.FLATE_DECODE);
                out.write("<?xml version=\"1.0\"?><x>".getBytes(StandardCharsets.US_ASCII));
                byte[] spaces = new byte[1 << 16];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (long left = inflated; left > 0; left -= spaces.length) {
                    out.write(spaces, 0, (int) Math.min(spaces.length, left));
                }
            }
            attach(pdf, embedded);
            pdf.save(target.toFile());
        }
        return target;
    }

    /**
     * A Factur-X-like PDF carrying {@code count} more Flate streams of {@code inflatedEach} zero
     * bytes, about a thousandth of that each on disk.
     */
    public static Path flateStreams(Path target, byte[] attachment, int count, int inflatedEach) throws IOException {
        try (PDDocument pdf = facturXLike(1, attachment)) {
            COSArray streams = new COSArray();
            for (int i = 0; i < count; i++) {
                streams.add(flateStream(pdf, new byte[inflatedEach]));
            }
            pdf.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("PasserelleTestStreams"), streams);
            pdf.save(target.toFile());
        }
        return target;
    }

    /**
     * A Factur-X-like PDF with a 20-byte Flate stream whose PNG predictor (under {@code paramsKey},
     * /DecodeParms or its abbreviation /DP) has 400 KB rows: PDFBox pads the one short row to that.
     */
    public static Path predictedRows(Path target, byte[] attachment, COSName paramsKey) throws IOException {
        try (PDDocument pdf = facturXLike(1, attachment)) {
            COSStream stream = flateStream(pdf, new byte[] {2, 1, 2, 3, 4, 5, 6, 7, 8});
            COSDictionary params = new COSDictionary();
            params.setInt(COSName.PREDICTOR, 12);
            params.setInt(COSName.COLORS, 4);
            params.setInt(COSName.BITS_PER_COMPONENT, 8);
            params.setInt(COSName.COLUMNS, 100_000);
            stream.setItem(paramsKey, params);
            pdf.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("PasserelleTestStream"), stream);
            pdf.save(target.toFile());
        }
        return target;
    }

    /** A stream of the document holding {@code content}, Flate-encoded. */
    private static COSStream flateStream(PDDocument pdf, byte[] content) throws IOException {
        COSStream stream = pdf.getDocument().createCOSStream();
        try (OutputStream out = new DeflaterOutputStream(stream.createRawOutputStream(), new Deflater(9))) {
            stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            out.write(content);
        }
        return stream;
    }

    public static Path truncatedPdf(Path target, byte[] attachment) throws IOException {
        byte[] whole = pdfBytes(facturXLike(3, attachment));
        Files.write(target, java.util.Arrays.copyOf(whole, whole.length / 2));
        return target;
    }

    public static Path encryptedPdf(Path target, byte[] attachment) throws IOException {
        try (PDDocument pdf = facturXLike(1, attachment)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            pdf.save(target.toFile());
        }
        return target;
    }

    private static byte[] pdfBytes(PDDocument pdf) throws IOException {
        try (pdf; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            pdf.save(out);
            return out.toByteArray();
        }
    }

    private static Path write(Path target, String content) throws IOException {
        Files.writeString(target, content, StandardCharsets.UTF_8);
        return target;
    }
}
