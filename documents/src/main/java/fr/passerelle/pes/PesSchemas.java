package fr.passerelle.pes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;

import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import fr.passerelle.xml.SafeSchemas;

/**
 * The official DGFiP PES V2 schemas (v5.17, copied into the jar at build time), each compiled once,
 * and a streaming validation that keeps every error with its line, column and element: a 100 MB
 * flow validates in constant memory, whatever the size of its PJ (their base64 is checked as it
 * streams, see {@link PesXml.ElementTrail}).
 */
public final class PesSchemas {

    public static final String ALLER = "xsd/pes-v2/PES_V2/Rev0/PES_Aller.xsd";
    public static final String ACQUIT = "xsd/pes-v2/PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd";
    public static final String RETOUR = "xsd/pes-v2/PES_V2/RETOUR/Rev0/PES_Retour.xsd";

    /** Errors kept per validation; further ones are only counted (a broken generator repeats itself). */
    public static final int MAX_ERRORS = 500;

    private PesSchemas() {
    }

    // One holder per schema: each is compiled on first use only (PES_Aller takes a few hundred ms).
    private static final class Aller {
        static final Schema SCHEMA = compile(ALLER);
    }

    private static final class Acquit {
        static final Schema SCHEMA = compile(ACQUIT);
    }

    private static final class Retour {
        static final Schema SCHEMA = compile(RETOUR);
    }

    /** PES_Aller (flows to Hélios, with PES_PJ, signatures). */
    public static Schema aller() {
        return Aller.SCHEMA;
    }

    /** PES_ACQUIT, acquittement autonome V2 (namespace …/Rev0/retour/v2). */
    public static Schema acquit() {
        return Acquit.SCHEMA;
    }

    /** PES_Retour (periodic and rejection returns). */
    public static Schema retour() {
        return Retour.SCHEMA;
    }

    /** Validates a file against a schema, streaming. */
    public static XsdReport validate(Schema schema, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return validate(schema, in, file.toUri().toString());
        }
    }

    /** Validates a stream against a schema, streaming; the stream is read to the end (or the first fatal error), not closed. */
    public static XsdReport validate(Schema schema, InputStream in) throws IOException {
        return validate(schema, in, null);
    }

    private static XsdReport validate(Schema schema, InputStream in, String systemId) throws IOException {
        PesXml.ElementTrail trail = new PesXml.ElementTrail(PesXml.saxReader());
        Collector errors = new Collector(trail);
        // PJ content is checked as it streams, not buffered by the validator: memory stays flat even for one huge PJ
        trail.checkPjContentHere((message, line, column, path) -> errors.add(XsdError.of(
                "cvc-datatype-valid.1.2.1: " + message + " (xs:base64Binary)", line, column, "Fichier", path, false)));
        Validator validator = SafeSchemas.validator(schema);
        validator.setErrorHandler(SafeSchemas.errorHandler(errors));
        InputSource input = new InputSource(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16));
        input.setSystemId(systemId);
        try {
            validator.validate(new SAXSource(trail, input));
        } catch (SAXParseException alreadyCollected) {
            // fatal (not well-formed, DOCTYPE): the collector has it, validation cannot go on
        } catch (SAXException e) {
            errors.add(XsdError.of(e.getMessage(), 0, 0, null, null, true));
        }
        return errors.report();
    }

    private static Schema compile(String resource) {
        URL url = PesSchemas.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("PES schema " + resource + " is not on the classpath (the build copies it)");
        }
        try (InputStream in = url.openStream()) {
            // the schemas include each other, from the jar or target/classes only
            return SafeSchemas.factory().newSchema(new StreamSource(in, url.toExternalForm()));
        } catch (SAXException e) {
            throw new IllegalStateException("PES schema " + resource + " does not compile: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps errors (up to MAX_ERRORS), naming the element open when each was raised. */
    static final class Collector implements SafeSchemas.Findings {

        private final PesXml.ElementTrail trail;
        private final List<XsdError> kept = new ArrayList<>();
        private int count;

        Collector(PesXml.ElementTrail trail) {
            this.trail = trail;
        }

        @Override
        public void report(SAXParseException e, SafeSchemas.Level level) {
            // schema warnings (e.g. an odd xsi:schemaLocation hint) do not make a flow invalid
            if (level != SafeSchemas.Level.WARNING) {
                add(e, level == SafeSchemas.Level.FATAL);
            }
        }

        void add(SAXParseException e, boolean fatal) {
            add(XsdError.of(e.getMessage(), e.getLineNumber(), e.getColumnNumber(), trail.current(), trail.path(), fatal));
        }

        void add(XsdError error) {
            count++;
            if (kept.size() < MAX_ERRORS) {
                kept.add(error);
            }
        }

        XsdReport report() {
            return new XsdReport(kept, count);
        }
    }
}
