package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;

import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

import fr.passerelle.Samples;
import fr.passerelle.xml.SafeXml;

/** The invoice's one parse checks it against its schema exactly as the XSD validator's own parse does. */
class SchemaCheckingReaderTest {

    static final ValidationArtefacts ARTEFACTS = ValidationArtefacts.shared();

    @ParameterizedTest
    @ValueSource(strings = {"invoices/ubl/ubl-tc434-example1.xml", "invoices/ubl/ubl-tc434-creditnote1.xml",
            "invoices/ubl/guide-example1.xml", "invoices/cii/CII_example1.xml",
            "invoices/cii/CII_business_example_01.xml",
            "invoices/fr-ctc/UC12_F202600025_SOUS-LIGNE_UBL_Commentee_EXTENDED.xml",
            "cdar/UC1_F202500003_01-CDV-200_Deposee.xml"})
    void aValidSampleGivesTheSameTreeAndNoFinding(String sample) throws Exception {
        byte[] xml = Files.readAllBytes(Samples.sample(sample));
        Schema schema = schemaOf(xml);

        SchemaCheckingReader checking = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        XdmNode checked = build(checking, xml);

        assertThat(SchemaLayer.run(schema, xml)).isEmpty();
        assertThat(checking.findings()).isEmpty();
        assertThat(sameTree(checked, build(SafeXml.saxReader(), xml))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoices/ubl/ubl-tc434-example1.xml", "invoices/cii/CII_example1.xml"})
    void aBrokenInvoiceGetsTheXsdValidatorsOwnFindingsAtTheSameLines(String sample) throws Exception {
        String text = Files.readString(Samples.sample(sample), StandardCharsets.UTF_8);
        // UBL: an unknown element, a date that is no date, a required element gone; CII: an unknown element, an amount that is no number
        byte[] xml = text.contains("<cbc:IssueDate>")
                ? text.replaceFirst("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>")
                        .replaceFirst("<cbc:DueDate>[^<]*</cbc:DueDate>", "<cbc:DueDate>le 5 mai</cbc:DueDate>")
                        .replaceFirst("<cbc:DocumentCurrencyCode>[^<]*</cbc:DocumentCurrencyCode>", "")
                        .getBytes(StandardCharsets.UTF_8)
                : text.replaceFirst("<ram:ChargeAmount>[^<]*", "<ram:ChargeAmount>douze")
                        .replaceFirst("<ram:SellerTradeParty>", "<ram:SellerTradeParty><ram:Inconnu/>")
                        .getBytes(StandardCharsets.UTF_8);
        Schema schema = schemaOf(xml);

        List<Finding> ownParse = SchemaLayer.run(schema, xml);
        SchemaCheckingReader checking = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        XdmNode checked = build(checking, xml);

        assertThat(ownParse).hasSizeGreaterThan(1).allMatch(f -> f.layer() == Layer.SCHEMA);
        assertThat(checking.findings()).isEqualTo(ownParse);
        assertThat(sameTree(checked, build(SafeXml.saxReader(), xml))).isTrue();
    }

    @Test
    void aThreadsValidatorLeftHalfWayByABrokenFileJudgesTheNextInvoiceAfresh() throws Exception {
        String text = Files.readString(Samples.sample("invoices/ubl/ubl-tc434-example1.xml"), StandardCharsets.UTF_8);
        byte[] valid = text.getBytes(StandardCharsets.UTF_8);
        byte[] invalid = text.replaceFirst("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>")
                .getBytes(StandardCharsets.UTF_8);
        // cut inside the invoice lines: the parse stops there, the validator deep inside an element
        byte[] truncated = text.substring(0, text.indexOf("<cac:InvoiceLine>") + 40).getBytes(StandardCharsets.UTF_8);
        Schema schema = ARTEFACTS.ublInvoice();

        SchemaCheckingReader first = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        assertThatThrownBy(() -> build(first, truncated)).isInstanceOf(SaxonApiException.class);
        assertThat(first.findings()).isEmpty();

        SchemaCheckingReader second = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        build(second, valid);
        assertThat(second.findings()).isEmpty();

        SchemaCheckingReader third = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        build(third, invalid);
        assertThat(third.findings()).isNotEmpty().isEqualTo(SchemaLayer.run(schema, invalid));

        SchemaCheckingReader fourth = new SchemaCheckingReader(SafeXml.saxReader(), schema);
        build(fourth, valid);
        assertThat(fourth.findings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {Steps.UBL, Steps.CII})
    void theSchemaLayerTakesTheFindingsOfTheParseOfTheSameBytesOnly(String sample) throws Exception {
        InvoiceCheck parsed = Steps.before(SchemaStep.class, sample);
        assertThat(parsed.schemaFindingsOfParse()).isEmpty();

        InvoiceCheck changed = Steps.before(SchemaStep.class, sample);
        changed.xml = changed.xml.clone();
        assertThat(changed.schemaFindingsOfParse()).isNull();
    }

    @Test
    void aFacturXIsCheckedInItsOneParseAgainstTheProfileItsXmpDeclares() throws Exception {
        InvoiceCheck check = Steps.before(SchemaStep.class, Steps.BASIC_PDF);
        assertThat(check.schema).isSameAs(ARTEFACTS.profileSchema(FacturXProfile.BASIC));
        assertThat(check.schemaFindingsOfParse()).isEmpty();
    }

    private static Schema schemaOf(byte[] xml) {
        String text = new String(xml, StandardCharsets.UTF_8);
        if (text.contains("<CreditNote")) {
            return ARTEFACTS.ublCreditNote();
        }
        if (text.contains("<Invoice")) {
            return ARTEFACTS.ublInvoice();
        }
        return text.contains("CrossDomainAcknowledgementAndResponse") ? ARTEFACTS.cdar() : ARTEFACTS.cii();
    }

    private static XdmNode build(XMLReader reader, byte[] xml) throws Exception {
        return ARTEFACTS.saxon().newDocumentBuilder()
                .build(new SAXSource(reader, new InputSource(new ByteArrayInputStream(xml))));
    }

    private static boolean sameTree(XdmNode a, XdmNode b) throws Exception {
        XPathCompiler compiler = ARTEFACTS.saxon().newXPathCompiler();
        compiler.declareVariable(new QName("a"));
        compiler.declareVariable(new QName("b"));
        XPathSelector deepEqual = compiler.compile("deep-equal($a, $b)").load();
        deepEqual.setVariable(new QName("a"), a);
        deepEqual.setVariable(new QName("b"), b);
        return deepEqual.effectiveBooleanValue();
    }
}
