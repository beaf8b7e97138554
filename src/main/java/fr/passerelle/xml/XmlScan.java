package fr.passerelle.xml;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.flow.Rejection;

/**
 * One streaming pass over an XML file (constant memory, whatever its size): is it well formed
 * in its declared encoding, without DTD; what is its root element; and, for invoices, which
 * identifiers name the buyer (BT-46 / BT-47: SIRET or SIREN).
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

    public static Result scan(InputStream in) {
        String rootName = null;
        String rootNamespace = null;
        Set<String> buyerIds = new LinkedHashSet<>();
        XMLStreamReader r = null;
        try {
            r = SafeXml.stax().createXMLStreamReader(in);
            int depth = 0;
            int buyerDepth = -1;
            int taxSchemeDepth = -1;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) {
                    return new Result(rootName, rootNamespace, List.of(), new Rejection("xml", "XML-DTD",
                            at(r.getLocation()), "Le fichier contient une déclaration DOCTYPE (DTD) : elle est "
                            + "interdite pour des raisons de sécurité. Envoyez le XML sans DOCTYPE."));
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (rootName == null) {
                        rootName = name;
                        rootNamespace = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
                    }
                    if (buyerDepth < 0 && BUYER_PARTIES.contains(name)) {
                        buyerDepth = depth;
                    } else if (buyerDepth > 0 && taxSchemeDepth < 0 && name.equals("TaxScheme")) {
                        taxSchemeDepth = depth;
                    } else if (buyerDepth > 0 && taxSchemeDepth < 0 && IDENTIFIER_ELEMENTS.contains(name)) {
                        String digits = r.getElementText().replaceAll("[\\s.\\-]", "");
                        depth--; // getElementText consumed the end tag
                        if (digits.matches("\\d{9}|\\d{14}")) {
                            buyerIds.add(digits);
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (depth == taxSchemeDepth) {
                        taxSchemeDepth = -1;
                    }
                    if (depth == buyerDepth) {
                        buyerDepth = -1;
                    }
                    depth--;
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
            return new Result(rootName, rootNamespace, List.of(), new Rejection("xml", "XML-WELLFORMED", null,
                    "Le XML ne peut pas être lu : " + e.getMessage()));
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

    private static Rejection problem(XMLStreamException e) {
        String detail = e.getMessage() == null ? "" : e.getMessage();
        int cut = detail.indexOf("Message: ");
        if (cut >= 0) {
            detail = detail.substring(cut + "Message: ".length());
        }
        String location = e.getLocation() == null ? null : at(e.getLocation());
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
