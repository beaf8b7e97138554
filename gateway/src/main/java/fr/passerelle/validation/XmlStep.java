package fr.passerelle.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;

import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

import fr.passerelle.xml.SafeXml;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * The XML layer: well-formed within the limits, a known root; then the one parse of the invoice,
 * whose tree the summary and every Schematron layer share, and which gives the schema layer its findings.
 */
final class XmlStep implements ValidationStep {

    /** The root of a lifecycle status message of the reform (UN/CEFACT Cross Domain Acknowledgement and Response). */
    static final String CDAR_ROOT = "CrossDomainAcknowledgementAndResponse";

    private final ValidationArtefacts artefacts;
    private final SummaryReader summaries;
    private final XmlLimits xmlLimits;
    private final LargeInvoiceGate largeInvoices;

    XmlStep(ValidationArtefacts artefacts, SummaryReader summaries, XmlLimits xmlLimits, LargeInvoiceGate largeInvoices) {
        this.artefacts = artefacts;
        this.summaries = summaries;
        this.xmlLimits = xmlLimits;
        this.largeInvoices = largeInvoices;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        // not stopped by a container error: a non-conforming PDF/A still has its invoice read and summarised
        return check.ended();
    }

    @Override
    public void check(InvoiceCheck check) throws IOException, SaxonApiException {
        // the trees of this and the next layers are what a large invoice costs: one at a time
        check.holdLargeInvoicePass(largeInvoices.enter(check.xml.length));
        check.ran(Layer.XML);
        // the streaming pre-pass with the limits: nothing below (Saxon, Xerces) sees a file beyond them
        // (made once: the format layer's sniffing of the same file, under the same limits, is that pre-pass)
        XmlScan.Result made = check.scanOfXml();
        XmlScan.Result scan = made != null ? made : XmlScan.scan(new ByteArrayInputStream(check.xml), xmlLimits);
        if (!scan.wellFormed()) {
            check.add(new Finding(Layer.XML, scan.problem().rule(), Severity.ERROR, scan.problem().location(),
                    scan.problem().message(), scan.problem().message()));
            check.end();
            return;
        }
        switch (scan.rootName()) {
            case "Invoice" -> syntax(check, "UBL 2.1 Invoice", SummaryReader.Syntax.UBL, artefacts.ublInvoice());
            case "CreditNote" -> syntax(check, "UBL 2.1 CreditNote", SummaryReader.Syntax.UBL,
                    artefacts.ublCreditNote());
            case "CrossIndustryInvoice" -> syntax(check, "UN/CEFACT CII D16B", SummaryReader.Syntax.CII, artefacts.cii());
            case CDAR_ROOT -> {
                if (check.facturX) {
                    notAnInvoice(check, scan.rootName());
                    return;
                }
                check.syntax = "UN/CEFACT CDAR D22B";
                check.schema = artefacts.cdar();
                check.cdar = true;
                check.invoice = parse(check);
                return;
            }
            default -> {
                notAnInvoice(check, scan.rootName());
                return;
            }
        }
        check.invoice = parse(check);
        SummaryReader.Reading reading = summaries.read(check.summarySyntax, check.invoice);
        check.summary = reading.summary();
        check.guideline = reading.guideline();
        check.process = reading.process();
        if (check.summarySyntax == SummaryReader.Syntax.CII) {
            check.profile = FacturXProfile.fromGuideline(check.guideline);
        }
    }

    private static void notAnInvoice(InvoiceCheck check, String root) {
        check.add(new Finding(Layer.XML, "XML-ROOT", Severity.ERROR, "/" + root,
                "Le XML joint n'est pas une facture CII (élément racine <" + root + ">).", "root element " + root));
        check.end();
    }

    private static void syntax(InvoiceCheck check, String syntax, SummaryReader.Syntax summarySyntax, Schema schema) {
        check.syntax = syntax;
        check.summarySyntax = summarySyntax;
        check.schema = schema;
    }

    /**
     * A Saxon tree built by the hardened SAX reader (the scan already refused DOCTYPEs too), checked
     * against the syntax's schema in the same parse. A Factur-X's schema is its profile's, which
     * only this tree tells: it is checked against the profile its XMP declares, and the schema layer
     * parses it again only when the tree names another one (or the XMP none).
     */
    private XdmNode parse(InvoiceCheck check) throws SaxonApiException {
        XMLReader parser = SafeXml.saxReader();
        FacturXProfile declared = check.facturX ? FacturXProfile.fromConformanceLevel(check.xmpLevel) : null;
        if (check.facturX && declared == null) {
            return build(parser, check.xml);
        }
        Schema schema = declared != null ? artefacts.profileSchema(declared) : check.schema;
        SchemaCheckingReader checking = new SchemaCheckingReader(parser, schema);
        XdmNode tree = build(checking, check.xml);
        check.schemaCheckedDuringParse(schema, checking.findings());
        return tree;
    }

    private XdmNode build(XMLReader reader, byte[] xml) throws SaxonApiException {
        return artefacts.saxon().newDocumentBuilder()
                .build(new SAXSource(reader, new InputSource(new ByteArrayInputStream(xml))));
    }
}
