package fr.passerelle.signature;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.xml.parsers.DocumentBuilder;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSOutput;
import org.w3c.dom.ls.LSSerializer;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import fr.passerelle.xml.SafeXml;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * PES files as DOM for signing and verifying: parsed hardened (no DOCTYPE, no external entity),
 * namespace-aware, every {@code Id} attribute registered as an XML ID (signature references
 * {@code #Id} resolve through it: the PES schemas are not loaded to say so), and written back as
 * ISO-8859-1, the only encoding S²LOW accepts. A signed PES is kept as DOM or bytes, never
 * re-marshalled through JAXB: that changes the signed bytes.
 */
public final class PesDocuments {

    public static final String ENCODING = "ISO-8859-1";

    /** The limits every document parsed here is checked against first (the gateway sets its configured ones). */
    private static volatile XmlLimits limits = XmlLimits.PES;

    private PesDocuments() {
    }

    /** Sets the limits of every later parse (the gateway at start, from passerelle.limits.*). */
    public static void limits(XmlLimits configured) {
        limits = configured;
    }

    public static XmlLimits limits() {
        return limits;
    }

    public static Document parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PesDocumentException(file + " : lecture impossible (" + e.getMessage() + ")", e);
        }
        return parse(bytes, file.toString());
    }

    public static Document parse(byte[] bytes, String name) {
        // the streaming pre-pass first: the DOM (and Santuario after it) only ever sees a document within the limits
        XmlScan.Result scan = XmlScan.scan(new ByteArrayInputStream(bytes), limits);
        if (!scan.wellFormed() && scan.problem().rule().startsWith("LIMIT-")) {
            throw new PesDocumentException(name + " : [" + scan.problem().rule() + "] " + scan.problem().message()
                    + (scan.problem().location() == null ? "" : " (" + scan.problem().location() + ")"),
                    scan.problem().rule());
        }
        return dom(new ByteArrayInputStream(bytes), name);
    }

    public static Document parse(InputStream in, String name) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new PesDocumentException(name + " : lecture impossible (" + e.getMessage() + ")", e);
        }
        return parse(bytes, name);
    }

    private static Document dom(InputStream in, String name) {
        DocumentBuilder builder = SafeXml.documentBuilder();
        // the default handler prints "[Fatal Error]" on stderr: the exception says it all
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        Document doc;
        try {
            doc = builder.parse(in);
        } catch (SAXParseException e) {
            throw new PesDocumentException(name + " : XML illisible ligne " + e.getLineNumber() + " ("
                    + e.getMessage() + ")", e);
        } catch (SAXException | IOException e) {
            throw new PesDocumentException(name + " : XML illisible (" + e.getMessage() + ")", e);
        }
        Set<String> duplicates = registerIds(doc);
        if (!duplicates.isEmpty()) {
            // two elements with one Id: a reference "#Id" would be ambiguous (signature wrapping)
            throw new PesDocumentException(name + " : attribut Id en double : " + String.join(", ", duplicates));
        }
        doc.setUserData(IDS_REGISTERED, Boolean.TRUE, null);
        return doc;
    }

    /** Marks a document parsed here: its Ids are registered and unique, nothing to walk again. */
    static final String IDS_REGISTERED = "passerelle.ids-registered";

    /** Registers the document's Ids unless it was parsed here (where that is done); returns the duplicates. */
    static Set<String> ensureIdsRegistered(Document doc) {
        return Boolean.TRUE.equals(doc.getUserData(IDS_REGISTERED)) ? Set.of() : registerIds(doc);
    }

    /**
     * Registers every {@code Id} attribute of the document as an XML ID; returns the values used
     * more than once (empty when the document is sound).
     */
    public static Set<String> registerIds(Document doc) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        register(doc.getDocumentElement(), seen, duplicates);
        return duplicates;
    }

    /** Depth-first over the elements, iteratively: no stack depth however deep the document. */
    private static void register(Element root, Set<String> seen, Set<String> duplicates) {
        Deque<Element> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Element element = todo.pop();
            if (element.hasAttributeNS(null, "Id")) {
                element.setIdAttributeNS(null, "Id", true);
                if (!seen.add(element.getAttributeNS(null, "Id"))) {
                    duplicates.add(element.getAttributeNS(null, "Id"));
                }
            }
            Deque<Element> children = new ArrayDeque<>();
            for (Element child = firstElement(element); child != null; child = nextElement(child)) {
                children.push(child);
            }
            children.forEach(todo::push); // document order: the first child on top
        }
    }

    static Element firstElement(Node parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    static Element nextElement(Node node) {
        for (Node n = node.getNextSibling(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /**
     * Writes the document as ISO-8859-1 with its XML declaration. The JDK Transformer ignores the
     * requested encoding for a parsed DOM; LSSerializer honours it, and writes characters outside
     * Latin-1 as character references.
     */
    public static void write(Document doc, OutputStream out) {
        // the document's own implementation (the JDK's): a Xerces on the classpath serialises differently
        DOMImplementationLS ls = (DOMImplementationLS) doc.getImplementation().getFeature("LS", "3.0");
        LSSerializer serializer = ls.createLSSerializer();
        serializer.getDomConfig().setParameter("xml-declaration", true);
        LSOutput output = ls.createLSOutput();
        output.setEncoding(ENCODING);
        output.setByteStream(out);
        if (!serializer.write(doc, output)) {
            throw new PesDocumentException("le document PES ne peut pas être écrit en " + ENCODING);
        }
    }

    public static byte[] toBytes(Document doc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(doc, out);
        return out.toByteArray();
    }
}
