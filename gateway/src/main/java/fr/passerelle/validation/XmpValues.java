package fr.passerelle.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import fr.passerelle.pdf.PdfStreams;
import fr.passerelle.xml.SafeXml;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * The Factur-X and PDF/A values of a PDF's XMP packet, read with a cap on its size and the XML
 * limits checked (streaming) before the packet becomes a DOM.
 */
final class XmpValues {

    /** Present when the packet is beyond an XML limit: the rule, and its French message. */
    static final String LIMIT = "limit.rule";
    static final String LIMIT_MESSAGE = "limit.message";
    private static final String PDFAID = "http://www.aiim.org/pdfa/ns/id/";

    private XmpValues() {
    }

    /** Factur-X and PDF/A identification values of the XMP packet, whichever way they are written. */
    static Map<String, String> read(PDDocument pdf, XmlLimits limits, long maxBytes) {
        Map<String, String> values = new LinkedHashMap<>();
        PDMetadata metadata = pdf.getDocumentCatalog().getMetadata();
        if (metadata == null) {
            return values;
        }
        try {
            byte[] packet = PdfStreams.decoded(metadata.getCOSObject(), maxBytes);
            // the streaming pre-pass first: the DOM below only ever sees a packet within the limits
            XmlScan.Result scan = XmlScan.scan(new ByteArrayInputStream(packet), limits);
            if (!scan.wellFormed()) {
                if (scan.problem().rule().startsWith("LIMIT-")) {
                    values.put(LIMIT, scan.problem().rule());
                    values.put(LIMIT_MESSAGE, "Les métadonnées XMP du PDF : " + scan.problem().message());
                } else {
                    values.put("unreadable", scan.problem().message());
                }
                return values;
            }
            Document xmp = SafeXml.documentBuilder().parse(new ByteArrayInputStream(packet));
            NodeList all = xmp.getElementsByTagNameNS("*", "*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                take(e.getNamespaceURI(), e.getLocalName(), e.getTextContent(), values);
                NamedNodeMap attributes = e.getAttributes();
                for (int j = 0; j < attributes.getLength(); j++) {
                    Attr a = (Attr) attributes.item(j);
                    take(a.getNamespaceURI(), a.getLocalName(), a.getValue(), values);
                }
            }
        } catch (IOException | SAXException | RuntimeException e) {
            values.put("unreadable", String.valueOf(e.getMessage()));
        }
        return values;
    }

    private static void take(String namespace, String name, String value, Map<String, String> values) {
        if (namespace == null || name == null || value == null || value.isBlank()) {
            return;
        }
        if (namespace.contains("CrossIndustryDocument:invoice")) {
            if (namespace.contains("1p0") && namespace.contains("ferd")) {
                values.put("zugferd1", "true");
            }
            if (List.of("ConformanceLevel", "DocumentFileName", "DocumentType", "Version").contains(name)) {
                values.putIfAbsent(name, value.trim());
            }
        } else if (namespace.equals(PDFAID) && (name.equals("part") || name.equals("conformance"))) {
            values.putIfAbsent(name, value.trim());
        }
    }
}
