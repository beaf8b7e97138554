package fr.passerelle.validation;

import java.net.URI;

import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;

/**
 * Compiles a Schematron's XSLT without the SVRL records no finding comes from
 * ({@code validation/schematron-without-records.xsl}). Those records cost more than they seem: each
 * pattern's record walks the whole invoice (3 walks for CEN's UBL rules, 54 for the French CTC
 * rules, 66 for Factur-X's), and a record is written for every context a rule matches. A pattern
 * of a few rules is then applied to what its rules select rather than walking the invoice. The rules
 * themselves are compiled as published; the findings are the same (SchematronCompilerTest).
 */
final class SchematronCompiler {

    private static final String WITHOUT_RECORDS = "validation/schematron-without-records.xsl";

    private final Processor saxon;
    private final XsltExecutable withoutRecords;

    SchematronCompiler(Processor saxon) {
        this.saxon = saxon;
        try {
            this.withoutRecords = saxon.newXsltCompiler()
                    .compile(new StreamSource(ValidationArtefacts.resource(WITHOUT_RECORDS).toExternalForm()));
        } catch (SaxonApiException e) {
            throw new IllegalStateException("Cannot compile " + WITHOUT_RECORDS + ": " + e.getMessage(), e);
        }
    }

    /** The stylesheet without its records, compiled. */
    XsltExecutable compile(Source stylesheet) throws SaxonApiException {
        return saxon.newXsltCompiler().compile(strip(stylesheet).asSource());
    }

    /** The stylesheet without its records, as it is compiled. */
    XdmNode strip(Source stylesheet) throws SaxonApiException {
        XsltTransformer strip = withoutRecords.load();
        strip.setSource(stylesheet);
        XdmDestination stripped = new XdmDestination();
        if (stylesheet.getSystemId() != null) {
            // the rules' document() calls and error messages keep their stylesheet's address
            stripped.setBaseURI(URI.create(stylesheet.getSystemId()));
        }
        strip.setDestination(stripped);
        strip.transform();
        return stripped.getXdmNode();
    }
}
