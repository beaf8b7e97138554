package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import fr.passerelle.document.Rejection;
import fr.passerelle.intake.Format;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * What the file is: a PDF is left to the container step, an XML invoice is read (within the
 * validable size), anything else is refused with what intake's sniffer found.
 */
final class FormatStep implements ValidationStep {

    static final String CDAR = "CDAR";
    private static final String CDAR_NS = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";

    private final FormatSniffer sniffer;
    private final long maxXmlBytes;
    private final XmlLimits xmlLimits;

    FormatStep(FormatSniffer sniffer, long maxXmlBytes, XmlLimits xmlLimits) {
        this.sniffer = sniffer;
        this.maxXmlBytes = maxXmlBytes;
        this.xmlLimits = xmlLimits;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return false;
    }

    @Override
    public void check(InvoiceCheck check) throws IOException {
        // a PDF goes straight to the container layer, which opens it once for what intake's
        // sniffer would tell (attachment, ZUGFeRD generation); other files are sniffed
        if (isPdf(check.path)) {
            check.format = Format.PDF.name();
            check.pdf = true;
            return;
        }
        long size = Files.size(check.path);
        // read once: the sniffing's pass over these bytes is the XML layer's limits pre-pass too
        byte[] xml = size <= maxXmlBytes ? Files.readAllBytes(check.path) : null;
        XmlScan.Result[] scanned = new XmlScan.Result[1];
        FormatSniffer.Sniff sniff = xml != null ? sniffer.sniffXml(xml, scan -> scanned[0] = scan)
                : sniffer.sniff(check.path);
        check.format = sniff.format().name();
        switch (sniff.format()) {
            case UBL_INVOICE, UBL_CREDITNOTE, CII -> readXml(check, xml, scanned[0], size);
            default -> {
                if (isCdar(scanned[0] != null ? scanned[0] : scan(check.path))) {
                    // not an invoice intake takes in, but one the validator judges: a lifecycle status message
                    check.format = CDAR;
                    readXml(check, xml, scanned[0], size);
                } else {
                    refuse(check, sniff);
                }
            }
        }
    }

    /** A file too large to be read whole: scanned from disk (the sniffing's pass over the bytes read is reused otherwise). */
    private XmlScan.Result scan(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return XmlScan.scan(in, xmlLimits);
        }
    }

    private static boolean isCdar(XmlScan.Result scan) {
        return scan.wellFormed() && XmlStep.CDAR_ROOT.equals(scan.rootName()) && CDAR_NS.equals(scan.rootNamespace());
    }

    private void readXml(InvoiceCheck check, byte[] xml, XmlScan.Result scan, long size) {
        if (xml == null) {
            check.ran(Layer.XML);
            check.add(new Finding(Layer.XML, "XML-SIZE", Severity.ERROR, null, "La facture XML dépasse la "
                    + "taille maximale validable (" + (maxXmlBytes >> 20) + " Mo).", "size " + size));
            check.end();
            return;
        }
        check.xml = xml;
        check.scanned(xml, scan);
    }

    private static void refuse(InvoiceCheck check, FormatSniffer.Sniff sniff) {
        Rejection problem = sniff.problem();
        Layer layer = problem != null && problem.layer().equals("xml") ? Layer.XML : Layer.CONTAINER;
        check.ran(layer);
        String rule = problem != null ? problem.rule() : "INTAKE-FORMAT";
        String message = problem != null ? problem.message()
                : "Ce document n'est pas une facture (" + sniff.format().label() + ").";
        check.add(new Finding(layer, rule, Severity.ERROR, problem == null ? null : problem.location(), message, message));
        check.end();
    }

    private static boolean isPdf(Path path) throws IOException {
        byte[] head = new byte[1024];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("%PDF-");
    }
}
