package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;

class En16931StepTest {

    final En16931Step step = Steps.step(En16931Step.class);

    @Test
    void cenRulesCheckUblAndCii() throws Exception {
        for (String sample : new String[] {Steps.UBL, Steps.CII}) {
            InvoiceCheck check = Steps.before(En16931Step.class, sample);
            assertThat(step.isSkipped(check)).isFalse();
            step.check(check);
            assertThat(check.layersRun()).as(sample).containsExactly("xml", "schema", "en16931");
            assertThat(check.hasErrors()).as(sample + ": " + check.findings()).isFalse();
        }
    }

    @TempDir
    Path dir;

    @Test
    void theFindingsAreEveryAssertionOfTheSvrl() throws Exception {
        String broken = Invoices.text("invoices/ubl/ubl-tc434-example1.xml")
                .replace("<cbc:PayableAmount currencyID=\"EUR\">250.33", "<cbc:PayableAmount currencyID=\"EUR\">260.33")
                .replace("<cbc:RegistrationName>ODIN 59</cbc:RegistrationName>", "");
        InvoiceCheck check = Steps.before(En16931Step.class, Invoices.write(dir, "broken.xml", broken), Steps.STANDALONE);

        XdmNode full = svrl(check.invoice);
        step.check(check);

        String assertions = "//(svrl:failed-assert | svrl:successful-report)/string(@id)";
        List<String> everyAssertion = evaluate(full, assertions);
        assertThat(everyAssertion).contains("BR-CO-16", "BR-07");
        assertThat(check.findings()).extracting(Finding::rule).containsExactlyInAnyOrderElementsOf(everyAssertion);
    }

    private static XdmNode svrl(XdmNode invoice) throws Exception {
        XdmDestination destination = new XdmDestination();
        ValidationArtefacts artefacts = ValidationArtefacts.shared();
        XsltTransformer rules = artefacts.cenUbl().load();
        rules.setURIResolver(artefacts.codeListResolver());
        rules.setInitialContextNode(invoice);
        rules.setDestination(destination);
        rules.transform();
        return destination.getXdmNode();
    }

    private static List<String> evaluate(XdmNode svrl, String xpath) throws Exception {
        XPathCompiler compiler = new Processor(svrl.getUnderlyingNode().getConfiguration()).newXPathCompiler();
        compiler.declareNamespace("svrl", "http://purl.oclc.org/dsdl/svrl");
        return compiler.evaluate(xpath, svrl).stream().map(XdmItem::getStringValue).toList();
    }

    @Test
    void aFacturXInvoiceHasItsProfileRulesInstead() throws Exception {
        assertThat(step.isSkipped(Steps.before(En16931Step.class, Steps.BASIC_PDF))).isTrue();
    }

    @Test
    void aSchemaErrorStopsHereUnlessAllLayersAreAsked() throws Exception {
        InvoiceCheck check = Steps.before(En16931Step.class, Steps.UBL);
        check.add(new Finding(Layer.SCHEMA, "TEST", Severity.ERROR, null, "erreur", "error"));
        assertThat(step.isSkipped(check)).isTrue();
    }
}
