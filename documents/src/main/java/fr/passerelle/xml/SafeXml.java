package fr.passerelle.xml;

import java.util.Map;

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
 * processing limits on. Every parser in the code base comes from here (every XSD validator from
 * {@link SafeSchemas}).
 */
public final class SafeXml {

    /**
     * The JDK's own limits (jdk.xml.*), a second line behind the streaming pre-pass
     * ({@link XmlScan} with {@link XmlLimits}), set on every factory made here: a document that
     * reaches a parser without the pre-pass still cannot nest deeper, expand more entities, carry
     * more attributes or longer names than this. 0 would mean "no limit" to the JDK: never used.
     */
    static final Map<String, String> JDK_LIMITS = Map.of(
            "jdk.xml.maxElementDepth", String.valueOf(XmlLimits.PARSER_MAX_DEPTH),
            "jdk.xml.entityExpansionLimit", "1000",
            "jdk.xml.totalEntitySizeLimit", "100000",
            "jdk.xml.maxGeneralEntitySizeLimit", "10000",
            "jdk.xml.maxParameterEntitySizeLimit", "10000",
            "jdk.xml.elementAttributeLimit", "1000",
            "jdk.xml.maxOccurLimit", "5000",
            "jdk.xml.maxXMLNameLimit", "1000",
            "jdk.xml.entityReplacementLimit", "100000");

    private static final XMLInputFactory STAX = newStaxFactory(true);
    private static final XMLInputFactory STAX_STREAMING = newStaxFactory(false);

    private SafeXml() {
    }

    /** StAX readers for streaming scans; DTDs are not processed (a DOCTYPE shows as a DTD event). */
    public static XMLInputFactory stax() {
        return STAX;
    }

    /** The same, text NOT coalesced: a huge text node comes in pieces (for scans that only count it). */
    public static XMLInputFactory staxStreaming() {
        return STAX_STREAMING;
    }

    private static XMLInputFactory newStaxFactory(boolean coalescing) {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory(); // the JDK's, whatever else is on the classpath
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, coalescing);
        JDK_LIMITS.forEach((name, value) -> trySet(() -> f.setProperty(name, value)));
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
            for (Map.Entry<String, String> limit : JDK_LIMITS.entrySet()) {
                trySet(() -> reader.setProperty(limit.getKey(), limit.getValue()));
            }
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
            DocumentBuilder builder = DOM.get().newDocumentBuilder();
            // a fatal error is thrown to the caller, who reports it; the JDK's default handler would
            // also print it on stderr ("[Fatal Error] :-1:-1: ...")
            builder.setErrorHandler(THROWING);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }

    private static final org.xml.sax.ErrorHandler THROWING = new org.xml.sax.ErrorHandler() {
        @Override
        public void warning(org.xml.sax.SAXParseException e) {
            // a warning is no reason to refuse a document
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) {
            // recoverable: parsing goes on, as with the JDK's default handler (which only prints it)
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
            throw e;
        }
    };

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
            JDK_LIMITS.forEach((name, value) -> trySet(() -> f.setAttribute(name, value)));
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }

    interface Setter {
        void set() throws Exception;
    }

    /** A parser that does not know a limit property keeps the JDK default for it (never unlimited with FSP). */
    static void trySet(Setter setter) {
        try {
            setter.set();
        } catch (Exception | LinkageError unsupported) {
            // not supported by this implementation: its secure-processing default stays
        }
    }
}
