package fr.passerelle.intake;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;

import fr.passerelle.document.Rejection;
import fr.passerelle.pdf.PdfStreams;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * Tells what a stored file is from its content (never from its name): Factur-X/ZUGFeRD PDF,
 * plain PDF, UBL, CII or a PES flow, and reads the buyer identifiers on the way for routing.
 */
public final class FormatSniffer {

    static final String UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    static final String UBL_CREDITNOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
    static final String CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";

    /** Names of the structured attachment (lower case): Factur-X, ZUGFeRD 1.0 and 2.x, XRechnung in ZUGFeRD. */
    private static final List<String> FACTURX_ATTACHMENTS = List.of("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml");

    /** The verdict of sniffing: format, buyer identifiers found, and a problem that refuses the file. */
    public record Sniff(Format format, List<String> buyerIdentifiers, Rejection problem, String note) {
    }

    private final XmlLimits invoiceLimits;
    private final XmlLimits pesLimits;
    private final long maxAttachmentBytes;

    /** With the default limits (those of config/application.properties). */
    public FormatSniffer() {
        this(XmlLimits.INVOICE, XmlLimits.PES, 20L << 20);
    }

    /**
     * @param invoiceLimits limits of an XML that is not a PES flow (and of a Factur-X attachment)
     * @param pesLimits     limits of a PES flow (root PES_*): its PJ are big base64 text nodes
     * @param maxAttachmentBytes the attachment of a PDF is scanned up to this many decoded bytes
     */
    public FormatSniffer(XmlLimits invoiceLimits, XmlLimits pesLimits, long maxAttachmentBytes) {
        this.invoiceLimits = invoiceLimits;
        this.pesLimits = pesLimits;
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    public Sniff sniff(Path file) throws IOException {
        if (Files.size(file) == 0) {
            return empty();
        }
        byte[] head = new byte[1024];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String start = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (start.startsWith("%PDF-") || start.contains("%PDF-")) {
            return sniffPdf(file);
        }
        if (looksLikeXml(head, n)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
                return fromXml(scanXml(in));
            }
        }
        return unknown("ni un PDF, ni un document XML");
    }

    /**
     * A file that is not a PDF, already read: sniffed as {@link #sniff(Path)} does, the limits pre-pass
     * of its XML handed to {@code scanned} (the validator's XML layer reuses it rather than scanning again).
     */
    public Sniff sniffXml(byte[] content, java.util.function.Consumer<XmlScan.Result> scanned) throws IOException {
        if (content.length == 0) {
            return empty();
        }
        if (!looksLikeXml(content, Math.min(content.length, 1024))) {
            return unknown("ni un PDF, ni un document XML");
        }
        XmlScan.Result scan = scanXml(new java.io.ByteArrayInputStream(content));
        scanned.accept(scan);
        return fromXml(scan);
    }

    /** The XML's one pass, under the limits of its root (a PES flow's, or an invoice's). */
    private XmlScan.Result scanXml(InputStream in) throws IOException {
        return XmlScan.scan(in, root -> root.startsWith("PES_") ? pesLimits : invoiceLimits);
    }

    private static Sniff empty() {
        return new Sniff(Format.UNKNOWN, List.of(), new Rejection("intake", "INTAKE-EMPTY", null,
                "Le fichier est vide : aucun contenu n'a été reçu."), null);
    }

    private static boolean looksLikeXml(byte[] head, int n) {
        int i = 0;
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        } else if (n >= 2 && ((head[0] & 0xFF) == 0xFE || (head[0] & 0xFF) == 0xFF)) {
            return true; // UTF-16 byte order mark
        }
        while (i < n && Character.isWhitespace(head[i])) {
            i++;
        }
        return i < n && head[i] == '<';
    }

    static Sniff fromXml(XmlScan.Result scan) {
        if (!scan.wellFormed()) {
            return new Sniff(Format.UNKNOWN, List.of(), scan.problem(), null);
        }
        Format format = switch (scan.rootName()) {
            case "Invoice" -> UBL_INVOICE_NS.equals(scan.rootNamespace()) ? Format.UBL_INVOICE : Format.UNKNOWN;
            case "CreditNote" -> UBL_CREDITNOTE_NS.equals(scan.rootNamespace()) ? Format.UBL_CREDITNOTE : Format.UNKNOWN;
            case "CrossIndustryInvoice" -> CII_NS.equals(scan.rootNamespace()) ? Format.CII : Format.UNKNOWN;
            case "PES_Aller" -> Format.PES_ALLER;
            case "PES_ACQUIT" -> Format.PES_ACQUIT;
            case "PES_Retour" -> Format.PES_RETOUR;
            default -> Format.UNKNOWN;
        };
        if (format == Format.UNKNOWN) {
            return unknown("document XML d'élément racine <" + scan.rootName() + "> dans l'espace de noms '"
                    + scan.rootNamespace() + "'");
        }
        return new Sniff(format, scan.buyerIdentifiers(), null, null);
    }

    private static Sniff unknown(String what) {
        return new Sniff(Format.UNKNOWN, List.of(), new Rejection("intake", "INTAKE-FORMAT", null,
                "Format non reconnu (" + what + ") : la passerelle accepte les factures Factur-X/ZUGFeRD (PDF), "
                        + "UBL 2.1, UN/CEFACT CII et les flux PES V2."), null);
    }

    private Sniff sniffPdf(Path file) {
        try (PDDocument pdf = Loader.loadPDF(file.toFile(), null, null, null, IOUtils.createTempFileOnlyStreamCache())) {
            List<PDComplexFileSpecification> attachments = new ArrayList<>();
            PDDocumentNameDictionary names = pdf.getDocumentCatalog().getNames();
            PDEmbeddedFilesNameTreeNode tree = names == null ? null : names.getEmbeddedFiles();
            if (tree != null) {
                collect(tree, attachments);
            }
            for (PDComplexFileSpecification spec : attachments) {
                String name = attachmentName(spec);
                PDEmbeddedFile embedded = spec.getEmbeddedFile();
                if (embedded == null) {
                    continue;
                }
                if (FACTURX_ATTACHMENTS.contains(name.toLowerCase(Locale.ROOT))) {
                    // decoded up to the cap only: a Flate bomb stops there (PDFBox would inflate it whole)
                    byte[] xml;
                    try {
                        xml = PdfStreams.decoded(embedded.getCOSObject(), maxAttachmentBytes);
                    } catch (PdfStreams.OverCapException over) {
                        return new Sniff(Format.FACTURX_PDF, List.of(), new Rejection("container", "LIMIT-PDF-ATTACHMENT",
                                "fichier joint " + name, "La pièce jointe " + name + " dépasse "
                                + (maxAttachmentBytes >> 20) + " Mo une fois décompressée : le fichier est refusé sans "
                                + "être analysé plus loin, pour protéger la plateforme. Demandez au fournisseur une "
                                + "facture Factur-X produite par son logiciel de facturation."), "attachment over the cap");
                    }
                    XmlScan.Result scan = XmlScan.scan(new ByteArrayInputStream(xml), invoiceLimits);
                    // ZUGFeRD 1.0 (ZUGFeRD-invoice.xml) has its own root element, CrossIndustryDocument
                    Format format = "CrossIndustryDocument".equals(scan.rootName()) ? Format.ZUGFERD1_PDF : Format.FACTURX_PDF;
                    // the attachment's XML problems are the validation's business, not intake's
                    return new Sniff(format, scan.buyerIdentifiers(), null, "attachment " + name);
                }
            }
            return new Sniff(Format.PDF, List.of(), null, "no structured invoice attached");
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // a broken or encrypted PDF is still a PDF: validation will say what is wrong with it
            return new Sniff(Format.PDF, List.of(), null, "PDF not readable: " + e.getMessage());
        }
    }

    private static String attachmentName(PDComplexFileSpecification spec) {
        String name = spec.getFileUnicode() != null ? spec.getFileUnicode() : spec.getFilename();
        return name == null ? "" : name;
    }

    /** The name tree walked iteratively, each node once (a loop is not walked again), at most 10,000 nodes. */
    private static void collect(PDNameTreeNode<PDComplexFileSpecification> root, List<PDComplexFileSpecification> out)
            throws IOException {
        Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<PDNameTreeNode<PDComplexFileSpecification>> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty() && visited.size() < 10_000) {
            PDNameTreeNode<PDComplexFileSpecification> node = todo.pop();
            if (!visited.add(node.getCOSObject())) {
                continue;
            }
            Map<String, PDComplexFileSpecification> entries = node.getNames();
            if (entries != null) {
                out.addAll(entries.values());
            }
            List<PDNameTreeNode<PDComplexFileSpecification>> kids = node.getKids();
            if (kids != null) {
                kids.forEach(todo::push);
            }
        }
    }
}
