package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;

/**
 * Runs a compiled Schematron (XSLT producing SVRL) over a parsed invoice and turns every
 * failed-assert and successful-report into a finding.
 */
final class SchematronLayer {

    private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";
    private static final QName ID = new QName("id");
    private static final QName FLAG = new QName("flag");
    private static final QName LOCATION = new QName("location");
    private static final Pattern STEP = Pattern.compile("\\*:([\\w.-]+)\\[namespace-uri\\(\\)='([^']*)'\\]");
    private static final Map<String, String> PREFIXES = Map.of(
            "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "rsm",
            "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100", "rsm",
            "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100", "ram",
            "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100", "udt",
            "urn:un:unece:uncefact:data:standard:QualifiedDataType:100", "qdt",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "ubl",
            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "ubl",
            "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2", "cbc",
            "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2", "cac");

    private SchematronLayer() {
    }

    static List<Finding> run(XsltExecutable rules, XdmNode invoice, Layer layer, RuleMessages messages,
                             boolean downgradeErrorsToWarnings, javax.xml.transform.URIResolver documents)
            throws SaxonApiException {
        XsltTransformer transformer = rules.load();
        transformer.setURIResolver(documents);
        transformer.setInitialContextNode(invoice);
        // compiled without the SVRL's records (SchematronCompiler): the report is little more than its findings
        XdmDestination svrl = new XdmDestination();
        transformer.setDestination(svrl);
        transformer.transform();
        List<Finding> findings = new ArrayList<>();
        collect(svrl.getXdmNode(), layer, messages, downgradeErrorsToWarnings, findings);
        return findings;
    }

    private static void collect(XdmNode node, Layer layer, RuleMessages messages, boolean downgrade,
                                List<Finding> out) {
        for (XdmNode child : node.children()) {
            if (child.getNodeKind() == XdmNodeKind.DOCUMENT || child.getNodeKind() == XdmNodeKind.ELEMENT) {
                String local = child.getNodeName() == null ? "" : child.getNodeName().getLocalName();
                String ns = child.getNodeName() == null ? "" : child.getNodeName().getNamespace();
                if (isFinding(ns, local)) {
                    out.add(finding(child, layer, messages, downgrade));
                } else {
                    collect(child, layer, messages, downgrade, out);
                }
            }
        }
    }

    /** An SVRL element that becomes a finding. */
    private static boolean isFinding(String namespace, String localName) {
        return SVRL.equals(namespace) && (localName.equals("failed-assert") || localName.equals("successful-report"));
    }

    private static Finding finding(XdmNode assertion, Layer layer, RuleMessages messages,
                                   boolean downgrade) {
        String text = "";
        for (XdmNode child : assertion.children()) {
            if (child.getNodeName() != null && child.getNodeName().getLocalName().equals("text")) {
                text = child.getStringValue().trim().replaceAll("\\s+", " ");
            }
        }
        String id = assertion.getAttributeValue(ID);
        if (id == null || id.isBlank()) {
            id = ruleFromText(text);
        }
        String flag = assertion.getAttributeValue(FLAG);
        // as in CEN's artefacts and ISO Schematron validators, an assertion without a flag is an error,
        // a failed assert or a successful report alike (the Factur-X "marked as not used in the given
        // context": data EN 16931 does not carry, which CEN's CII-DT rules reject too)
        Severity severity;
        if (flag == null) {
            severity = Severity.ERROR;
        } else if (flag.equalsIgnoreCase("fatal") || flag.equalsIgnoreCase("error")) {
            severity = Severity.ERROR;
        } else if (flag.equalsIgnoreCase("warning")) {
            severity = Severity.WARNING;
        } else {
            severity = Severity.INFO;
        }
        if (downgrade && severity == Severity.ERROR) {
            severity = Severity.WARNING;
        }
        return new Finding(layer, id, severity, readable(assertion.getAttributeValue(LOCATION)), messages.french(id, text),
                text);
    }

    /** "/*:Invoice[namespace-uri()='urn:…:Invoice-2'][1]/*:ID[namespace-uri()='…CommonBasicComponents-2'][1]" → "/ubl:Invoice[1]/cbc:ID[1]". */
    static String readable(String location) {
        if (location == null) {
            return null;
        }
        Matcher m = STEP.matcher(location);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(PREFIXES.getOrDefault(m.group(2), "*") + ":" + m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Rules whose assert carries no id start their text with it: "[BR-CO-15]-Invoice total…". */
    static String ruleFromText(String text) {
        if (text.startsWith("[") && text.indexOf(']') > 1) {
            return text.substring(1, text.indexOf(']'));
        }
        if (text.contains("marked as not used")) {
            return "FX-NOT-USED";
        }
        return "SCHEMATRON";
    }
}
