package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;
import org.junit.jupiter.api.Test;

import fr.passerelle.Invoices;

/**
 * The Schematrons compiled without their SVRL records find exactly what the published ones find:
 * CEN's, Factur-X's and the French rules, on valid samples and on invoices broken so that rules fire.
 */
class SchematronCompilerTest {

    private static final ValidationArtefacts ARTEFACTS = ValidationArtefacts.shared();
    private static final RuleMessages MESSAGES = new RuleMessages();
    private static final RuleSets.French FRENCH = ARTEFACTS.ruleSets().frenchAt(LocalDate.of(2026, 12, 1));

    private static final List<String> UBL = List.of("invoices/ubl/ubl-tc434-example1.xml",
            "invoices/ubl/ubl-tc434-example2.xml", "invoices/ubl/ubl-tc434-creditnote1.xml",
            "invoices/ubl/guide-example1.xml");
    private static final List<String> CII = List.of("invoices/cii/CII_example1.xml", "invoices/cii/CII_example2.xml",
            "invoices/cii/CII_business_example_01.xml", "invoices/fr-ctc/UC1_F202500003_00-INV_20250701_CII_EN16931.xml");
    /** Breaks that make rules fire: totals that do not add up, a buyer without a name, an unknown currency. */
    private static final UnaryOperator<String> BROKEN_UBL = xml -> xml
            .replaceFirst("(<cbc:PayableAmount currencyID=\"\\w+\">)([0-9.]+)", "$1999.99")
            .replaceFirst("<cbc:RegistrationName>[^<]*</cbc:RegistrationName>", "")
            .replaceFirst("<cbc:DocumentCurrencyCode>[^<]*<", "<cbc:DocumentCurrencyCode>ZZZ<");
    private static final UnaryOperator<String> BROKEN_CII = xml -> xml
            .replaceFirst("<ram:GrandTotalAmount>[0-9.]+", "<ram:GrandTotalAmount>999.99")
            .replaceFirst("<ram:InvoiceCurrencyCode>[^<]*<", "<ram:InvoiceCurrencyCode>ZZZ<");

    @Test
    void censRulesFindTheSameWithoutTheRecords() throws Exception {
        assertSameFindings(ARTEFACTS.ruleSets().en16931Ubl(), ARTEFACTS.cenUbl(), UBL, BROKEN_UBL);
        assertSameFindings(ARTEFACTS.ruleSets().en16931Cii(), ARTEFACTS.cenCii(), CII, BROKEN_CII);
    }

    @Test
    void facturXRulesFindTheSameWithoutTheRecords() throws Exception {
        // a full invoice judged by MINIMUM's rules: data the profile does not carry is reported
        for (FacturXProfile profile : List.of(FacturXProfile.MINIMUM, FacturXProfile.BASIC_WL, FacturXProfile.BASIC,
                FacturXProfile.EN16931, FacturXProfile.EXTENDED)) {
            assertSameFindings("xslt/ZF_250/FACTUR-X_" + profile.artefact() + ".xslt",
                    ARTEFACTS.profileRules(profile), CII, BROKEN_CII);
        }
    }

    @Test
    void theFrenchRulesFindTheSameWithoutTheRecords() throws Exception {
        FrenchRules.Compiled compiled = ARTEFACTS.french(FRENCH.inForce());
        assertSameFindings(FRENCH.ubl(), compiled.ubl(), UBL, BROKEN_UBL);
        assertSameFindings(FRENCH.cii(), compiled.cii(), CII, BROKEN_CII);
        assertSameFindings(FRENCH.extendedUbl(), compiled.extendedUbl(),
                List.of("invoices/fr-ctc/UC12_F202600025_SOUS-LIGNE_UBL_Commentee_EXTENDED.xml"), BROKEN_UBL);
        assertSameFindings(FRENCH.extendedCii(), compiled.extendedCii(),
                List.of("invoices/fr-ctc/UC12_F202600025_SOUS-LIGNE_CII_Commentee_EXTENDED.xml"), BROKEN_CII);
        assertSameFindings(FRENCH.cdar(), compiled.cdar(), List.of("cdar/UC1_F202500003_01-CDV-200_Deposee.xml",
                "cdar/UC1_F202500003_07-CDV-212_Encaissee.xml"), xml -> xml.replaceFirst(
                "<ram:ProcessConditionCode>[^<]*<", "<ram:ProcessConditionCode>999<"));
    }

    @Test
    void aPatternWithARuleOnAnAttributeStillWalksTheAttributes() throws Exception {
        // BR-FR-28_UnitCode's context is an attribute (…/cbc:ValueQuantity/@unitCode): its pattern's walk
        // must still reach attributes, where the other patterns' walks go to elements only
        String xml = Invoices.text(UBL.get(0)).replace("</Invoice>", "<cac:Item><cac:AdditionalItemProperty>"
                + "<cbc:Name>Poids</cbc:Name><cbc:ValueQuantity unitCode=\" \">12</cbc:ValueQuantity>"
                + "</cac:AdditionalItemProperty></cac:Item></Invoice>");
        XdmNode invoice = parse(xml);

        List<Finding> compiled = findings(ARTEFACTS.french(FRENCH.inForce()).ubl(), invoice);

        assertThat(compiled).extracting(Finding::rule).contains("BR-FR-28_UnitCode");
        assertThat(compiled).isEqualTo(findings(asPublished(FRENCH.ubl()), invoice));
    }

    @Test
    void aPatternIsSelectedOnlyWhereTheSelectionFindsWhatTheWalkFinds() throws Exception {
        String resource = "validation/skeleton-patterns.xsl";
        String url = SchematronCompilerTest.class.getClassLoader().getResource(resource).toExternalForm();
        SchematronCompiler compiler = new SchematronCompiler(ARTEFACTS.saxon());
        XdmNode invoice = parse("<root xmlns:n=\"urn:n\" k=\"1\"><a><b k=\"2\"/></a>"
                + "<c><b><b/></b><b/><t>hello</t></c></root>");

        XdmNode stripped = compiler.strip(new StreamSource(url));
        String fromCompiled = output(compiler.compile(new StreamSource(url)), invoice);

        var xpath = ARTEFACTS.saxon().newXPathCompiler();
        xpath.declareNamespace("xsl", "http://www.w3.org/1999/XSL/Transform");
        assertThat(xpath.evaluate("//xsl:apply-templates[@select = '/']/string(@mode)", stripped).stream()
                .map(XdmItem::getStringValue).toList())
                .as("the patterns still walked").containsExactly("M5", "M6", "M7", "M8", "M9", "M10");
        assertThat(fromCompiled).isEqualTo(output(asPublished(resource), invoice))
                .contains("<r m=\"1\"", "<r m=\"2\"", "<r m=\"3\"", "<r m=\"4\" r=\"c/b\"", "<r m=\"4\" r=\"b\"",
                        "<r m=\"5\"", "<r m=\"10\"");
    }

    @Test
    void theCompiledRulesWriteNoRecordButTheirFindings() throws Exception {
        XdmNode invoice = parse(BROKEN_UBL.apply(Invoices.text(UBL.get(0))));

        XdmNode svrl = svrl(ARTEFACTS.cenUbl(), invoice);
        XdmNode published = svrl(asPublished(ARTEFACTS.ruleSets().en16931Ubl()), invoice);

        assertThat(count(svrl, "//svrl:fired-rule | //svrl:active-pattern")).isZero();
        assertThat(count(published, "//svrl:fired-rule")).isGreaterThan(100);
        assertThat(count(published, "//svrl:active-pattern")).isEqualTo(3);
        assertThat(count(svrl, "//svrl:failed-assert")).isPositive()
                .isEqualTo(count(published, "//svrl:failed-assert"));
    }

    /** Valid samples and their broken copies give the same findings both ways; the broken ones give some. */
    private static void assertSameFindings(String resource, XsltExecutable stripped, List<String> samples,
                                           UnaryOperator<String> breakIt) throws Exception {
        XsltExecutable published = asPublished(resource);
        int brokenFindings = 0;
        for (String sample : samples) {
            String xml = Invoices.text(sample);
            for (String variant : List.of(xml, breakIt.apply(xml))) {
                XdmNode invoice = parse(variant);
                List<Finding> expected = findings(published, invoice);
                assertThat(findings(stripped, invoice)).as(resource + " on " + sample).isEqualTo(expected);
                if (!variant.equals(xml)) {
                    brokenFindings += expected.size();
                }
            }
        }
        assertThat(brokenFindings).as("findings of " + resource + " on the broken samples").isPositive();
    }

    private static List<Finding> findings(XsltExecutable rules, XdmNode invoice) throws SaxonApiException {
        return new ArrayList<>(SchematronLayer.run(rules, invoice, Layer.EN16931, MESSAGES, false,
                ARTEFACTS.codeListResolver()));
    }

    private static XsltExecutable asPublished(String resource) throws IOException, SaxonApiException {
        URL url = SchematronCompilerTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource).isNotNull();
        try (InputStream in = url.openStream()) {
            return ARTEFACTS.saxon().newXsltCompiler().compile(new StreamSource(in, url.toExternalForm()));
        }
    }

    private static XdmNode svrl(XsltExecutable rules, XdmNode invoice) throws SaxonApiException {
        XsltTransformer transformer = rules.load();
        transformer.setURIResolver(ARTEFACTS.codeListResolver());
        transformer.setInitialContextNode(invoice);
        XdmDestination svrl = new XdmDestination();
        transformer.setDestination(svrl);
        transformer.transform();
        return svrl.getXdmNode();
    }

    private static String output(XsltExecutable stylesheet, XdmNode document) throws SaxonApiException {
        StringWriter out = new StringWriter();
        XsltTransformer transformer = stylesheet.load();
        transformer.setInitialContextNode(document);
        Serializer serializer = ARTEFACTS.saxon().newSerializer(out);
        serializer.setOutputProperty(Serializer.Property.OMIT_XML_DECLARATION, "yes");
        transformer.setDestination(serializer);
        transformer.transform();
        return out.toString();
    }

    private static int count(XdmNode svrl, String path) throws SaxonApiException {
        var xpath = ARTEFACTS.saxon().newXPathCompiler();
        xpath.declareNamespace("svrl", "http://purl.oclc.org/dsdl/svrl");
        return xpath.evaluate(path, svrl).size();
    }

    private static XdmNode parse(String xml) throws SaxonApiException {
        return ARTEFACTS.saxon().newDocumentBuilder().build(new StreamSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    }
}
