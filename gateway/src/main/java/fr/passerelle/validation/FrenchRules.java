package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XsltExecutable;

/**
 * The French CTC rule sets (fr.ctc), compiled once each on first use and shared by every thread:
 * the one in force when the gateway starts is compiled with the other artefacts, an older one only
 * when an invoice received under it is judged.
 */
final class FrenchRules {

    /** One version's Schematron, compiled; null where that version publishes none for the syntax. */
    record Compiled(RuleSets.French set, XsltExecutable cii, XsltExecutable ubl, XsltExecutable cdar,
                    XsltExecutable extendedCii, XsltExecutable extendedUbl) {
        String version() {
            return set.version();
        }

        /** The EXTENDED-CTC-FR rules for that syntax, or null when this set publishes none. */
        XsltExecutable extensionFor(SummaryReader.Syntax syntax) {
            return syntax == SummaryReader.Syntax.UBL ? extendedUbl : extendedCii;
        }
    }

    private final SchematronCompiler schematron;
    private final RuleSets sets;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    FrenchRules(SchematronCompiler schematron, RuleSets sets) {
        this.schematron = schematron;
        this.sets = sets;
    }

    /** The rules an invoice received on that day is judged by. */
    Compiled at(LocalDate received) {
        RuleSets.French set = sets.frenchAt(received);
        return compiled.computeIfAbsent(set.version(), v -> compile(set));
    }

    private Compiled compile(RuleSets.French set) {
        return new Compiled(set, xslt(set.cii()), xslt(set.ubl()), xslt(set.cdar()), xslt(set.extendedCii()),
                xslt(set.extendedUbl()));
    }

    private XsltExecutable xslt(String resource) {
        if (resource == null) {
            return null;
        }
        URL url = FrenchRules.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("French rule set missing from the class path: " + resource);
        }
        try (InputStream in = url.openStream()) {
            return schematron.compile(new StreamSource(in, url.toExternalForm()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read French rule set " + resource, e);
        } catch (SaxonApiException e) {
            throw new IllegalStateException("Cannot compile French rule set " + resource + ": " + e.getMessage(), e);
        }
    }
}
