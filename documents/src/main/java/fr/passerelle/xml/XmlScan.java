package fr.passerelle.xml;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.document.Rejection;

/**
 * One streaming pass over an XML file (constant memory, whatever its size): is it well formed
 * in its declared encoding, without DTD; what is its root element; and, for invoices, which
 * identifiers name the buyer (BT-46 / BT-47: SIRET or SIREN); and is it within the {@link XmlLimits}
 * (depth, elements, attributes, text and name sizes) — the pre-pass every XML goes through before
 * a tree is built or a validator runs.
 */
public final class XmlScan {

    /** Elements that hold the buyer party in UBL (cac:AccountingCustomerParty) and CII (ram:BuyerTradeParty). */
    private static final Set<String> BUYER_PARTIES = Set.of("AccountingCustomerParty", "BuyerTradeParty");
    private static final Set<String> IDENTIFIER_ELEMENTS = Set.of("ID", "CompanyID", "EndpointID", "GlobalID", "URIID");

    public record Result(String rootName, String rootNamespace, List<String> buyerIdentifiers, Rejection problem) {
        public boolean wellFormed() {
            return problem == null;
        }
    }

    private XmlScan() {
    }

    /** Scans with the invoice limits ({@link XmlLimits#INVOICE}). */
    public static Result scan(InputStream in) {
        return scan(in, XmlLimits.INVOICE);
    }

    public static Result scan(InputStream in, XmlLimits limits) {
        return scan(in, root -> limits);
    }

    /**
     * Scans, checking the limits chosen by the root element's local name (PES flows and invoices
     * differ): the first limit passed stops the scan with a {@code LIMIT-XML-*} problem.
     */
    public static Result scan(InputStream in, Function<String, XmlLimits> limitsForRoot) {
        String rootName = null;
        String rootNamespace = null;
        Set<String> buyerIds = new LinkedHashSet<>();
        XMLStreamReader r = null;
        try {
            // text is not coalesced: a 100 MB base64 PJ is counted chunk by chunk, never one String
            r = SafeXml.staxStreaming().createXMLStreamReader(in);
            XmlLimits.Counter counter = null;
            Deque<String> open = new ArrayDeque<>();
            int buyerDepth = -1;
            int taxSchemeDepth = -1;
            int identifierDepth = -1;
            StringBuilder identifier = new StringBuilder();
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) {
                    return new Result(rootName, rootNamespace, List.of(), new Rejection("xml", "XML-DTD",
                            at(r.getLocation()), "Le fichier contient une déclaration DOCTYPE (DTD) : elle est "
                            + "interdite pour des raisons de sécurité. Envoyez le XML sans DOCTYPE."));
                }
                if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    // only the five predefined entities exist without a DTD: any other is refused
                    return new Result(rootName, rootNamespace, List.of(), new Rejection("xml", "XML-ENTITY",
                            at(r.getLocation()), "Le XML utilise une entité non autorisée (&" + r.getLocalName()
                            + ";) : les entités non déclarées, externes et les DTD sont refusées pour des raisons de "
                            + "sécurité. Écrivez le caractère lui-même ou une référence numérique (&#233;)."));
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (rootName == null) {
                        rootName = name;
                        rootNamespace = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
                        counter = limitsForRoot.apply(rootName).counter();
                    }
                    Rejection limit = startElement(r, name, counter);
                    if (limit != null) {
                        return new Result(rootName, rootNamespace, List.of(), limit);
                    }
                    open.push(name);
                    int depth = counter.depth();
                    if (buyerDepth < 0 && BUYER_PARTIES.contains(name)) {
                        buyerDepth = depth;
                    } else if (buyerDepth > 0 && taxSchemeDepth < 0 && name.equals("TaxScheme")) {
                        taxSchemeDepth = depth;
                    } else if (buyerDepth > 0 && taxSchemeDepth < 0 && identifierDepth < 0
                            && IDENTIFIER_ELEMENTS.contains(name)) {
                        identifierDepth = depth;
                        identifier.setLength(0);
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    if (counter != null) {
                        int length = r.getTextLength();
                        Rejection limit = counter.text(length, open.peek(), at(r.getLocation()));
                        if (limit != null) {
                            return new Result(rootName, rootNamespace, List.of(), limit);
                        }
                        if (identifierDepth > 0 && identifier.length() < 64) {
                            identifier.append(r.getTextCharacters(), r.getTextStart(), Math.min(length, 64));
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    int depth = counter.depth();
                    if (depth == identifierDepth) {
                        String digits = identifier.toString().replaceAll("[\\s.\\-]", "");
                        if (digits.matches("\\d{9}|\\d{14}")) {
                            buyerIds.add(digits);
                        }
                        identifierDepth = -1;
                    }
                    if (depth == taxSchemeDepth) {
                        taxSchemeDepth = -1;
                    }
                    if (depth == buyerDepth) {
                        buyerDepth = -1;
                    }
                    counter.end();
                    open.pop();
                }
            }
            if (rootName == null) {
                return new Result(null, null, List.of(), new Rejection("xml", "XML-WELLFORMED", null,
                        "Le fichier ne contient aucun élément XML."));
            }
            return new Result(rootName, rootNamespace, new ArrayList<>(buyerIds), null);
        } catch (XMLStreamException e) {
            return new Result(rootName, rootNamespace, List.of(), problem(e));
        } catch (RuntimeException e) {
            // some parser errors (bad encoding names, limits) surface unchecked
            Rejection limit = parserLimit(String.valueOf(e.getMessage()), null);
            return new Result(rootName, rootNamespace, List.of(), limit != null ? limit
                    : new Rejection("xml", "XML-WELLFORMED", null, "Le XML ne peut pas être lu : " + e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    /** Checks an element, its attributes and namespace declarations against the limits. */
    private static Rejection startElement(XMLStreamReader r, String name, XmlLimits.Counter counter) {
        String at = at(r.getLocation());
        int attributes = r.getAttributeCount();
        Rejection limit = counter.start(name, attributes + r.getNamespaceCount(), at);
        for (int i = 0; limit == null && i < attributes; i++) {
            limit = counter.attribute(name, r.getAttributeLocalName(i), r.getAttributeValue(i).length(), at);
        }
        return limit;
    }

    /** The JDK parser's own limits (SafeXml's second line): JAXP00010001… messages. */
    static Rejection parserLimit(String detail, String location) {
        if (detail == null || !detail.contains("JAXP0001")) {
            return null;
        }
        String lower = detail.toLowerCase(java.util.Locale.ROOT);
        // the JDK names the limit it applied: the same rule as the pre-pass would have given
        String rule = lower.contains("attribut") ? "LIMIT-XML-ATTRIBUTES" : lower.contains("depth") ? "LIMIT-XML-DEPTH"
                : lower.contains("name") ? "LIMIT-XML-NAME" : "LIMIT-XML-PARSER";
        return new Rejection("xml", rule, location, "Le XML dépasse une limite de sécurité de "
                + "l'analyseur XML (" + detail.trim() + ") : le fichier est refusé sans être analysé. Demandez à "
                + "l'émetteur un fichier conforme.");
    }

    private static Rejection problem(XMLStreamException e) {
        String detail = e.getMessage() == null ? "" : e.getMessage();
        int cut = detail.indexOf("Message: ");
        if (cut >= 0) {
            detail = detail.substring(cut + "Message: ".length());
        }
        String location = e.getLocation() == null ? null : at(e.getLocation());
        Rejection limit = parserLimit(detail, location);
        if (limit != null) {
            return limit;
        }
        String lower = detail.toLowerCase();
        // "Invalid byte 1 of 1-byte UTF-8 sequence": bytes that are not in the declared encoding
        if (lower.contains("encoding") || (lower.contains("byte") && lower.contains("sequence"))) {
            return new Rejection("xml", "XML-ENCODING", location, "L'encodage déclaré du XML n'est pas "
                    + "utilisable ou ne correspond pas au contenu : " + detail.trim());
        }
        if (detail.contains("entity") || detail.contains("entité")) {
            return new Rejection("xml", "XML-ENTITY", location, "Le XML utilise une entité non autorisée "
                    + "(entités externes et DTD refusées pour des raisons de sécurité) : " + detail.trim());
        }
        return new Rejection("xml", "XML-WELLFORMED", location, "Le XML est mal formé : " + detail.trim());
    }

    private static String at(Location location) {
        return "ligne " + location.getLineNumber() + ", colonne " + location.getColumnNumber();
    }
}
