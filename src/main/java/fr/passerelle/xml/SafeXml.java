package fr.passerelle.xml;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;

import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The only way the gateway parses XML: no DTD, no external entity, no XInclude, the JDK's secure
 * processing limits on. Every parser in the code base comes from here.
 */
public final class SafeXml {

    private static final XMLInputFactory STAX = newStaxFactory();

    private SafeXml() {
    }

    /** StAX readers for streaming scans; DTDs are not processed (a DOCTYPE shows as a DTD event). */
    public static XMLInputFactory stax() {
        return STAX;
    }

    private static XMLInputFactory newStaxFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory(); // the JDK's, whatever else is on the classpath
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** The hardened SAX factory, made once per thread like the DOM one. */
    private static final ThreadLocal<SAXParserFactory> SAX = ThreadLocal.withInitial(SafeXml::newSaxFactory);

    /** A namespace-aware SAX reader that refuses any DOCTYPE and never fetches anything (a new one each call). */
    public static XMLReader saxReader() {
        try {
            XMLReader reader = SAX.get().newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("SAX parser cannot be hardened", e);
        }
    }

    private static SAXParserFactory newSaxFactory() {
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("SAX parser cannot be hardened", e);
        }
    }

    /**
     * The hardened factory, made once per thread: configuring one costs more than parsing a small
     * document, and a factory is not promised to be safe across threads.
     */
    private static final ThreadLocal<DocumentBuilderFactory> DOM = ThreadLocal.withInitial(SafeXml::newDomFactory);

    /** A namespace-aware DOM builder that refuses any DOCTYPE (a new one each call: callers may set handlers). */
    public static DocumentBuilder documentBuilder() {
        try {
            return DOM.get().newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }

    private static DocumentBuilderFactory newDomFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }
}
