package fr.passerelle.treasury;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import javax.xml.validation.Schema;
import javax.xml.validation.ValidatorHandler;

import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;
import org.xml.sax.helpers.XMLFilterImpl;

import fr.passerelle.document.Rejection;
import fr.passerelle.pes.XsdError;
import fr.passerelle.xml.SafeSchemas;
import fr.passerelle.xml.SafeXml;
import fr.passerelle.xml.XmlLimits;

/**
 * One streaming pass over a return file from Hélios: the hardened SAX reader feeds the schema
 * validator, which feeds the reader's handler. Schema errors only become warnings (real returns are
 * sometimes slightly off-schema, e.g. CodCol "000"), while what is not XML, carries a DOCTYPE or
 * has the wrong root is refused. Memory stays flat: nothing is buffered but what is extracted.
 */
final class ReturnXml {

    static final String ACQUIT_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2";
    /** Namespace of PES_Retour, and of the older acquittement V1 (PES_V2_Acquit_Autonome.xsd). */
    static final String RETOUR_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour";
    static final String ALLER_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller";

    /** Warnings kept per file; a generator that is wrong once is wrong on every item. */
    static final int MAX_WARNINGS = 100;

    /** The limits every return is checked against as it streams (the gateway sets its configured ones). */
    private static volatile XmlLimits limits = XmlLimits.PES;

    private ReturnXml() {
    }

    /** Sets the limits of every later read (the gateway at start, from passerelle.limits.*). */
    static void limits(XmlLimits configured) {
        limits = configured;
    }

    /**
     * Base of the two readers' handlers: tracks the open elements and hands each element's value
     * (attribute V, or its text when a generator wrote it as text) to {@link #value}.
     */
    abstract static class Handler extends DefaultHandler {

        private final Deque<String> open = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private final Deque<String> values = new ArrayDeque<>();
        final Warnings warnings = new Warnings();
        Locator locator;

        /** Checks the root; throws {@link Refusal} to refuse the file. */
        abstract void root(String namespace, String localName) throws Refusal;

        /** An element opens; {@code parent} is null for the root. */
        void open(String name, String parent) {
        }

        /** An element closes, with its value (V attribute or trimmed text, "" if none). */
        abstract void close(String name, String parent, String value);

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (open.isEmpty()) {
                root(uri == null ? "" : uri, localName);
            }
            open(localName, open.peek());
            open.push(localName);
            String v = atts.getValue("", "V");
            values.push(v == null ? "\u0000" : v);
            text.setLength(0);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (text.length() < 4096) { // a value is short; a stray blob must not fill memory
                text.append(ch, start, Math.min(length, 4096 - text.length()));
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
            String v = values.pop();
            String value = !"\u0000".equals(v) ? v.trim() : text.toString().trim();
            text.setLength(0);
            close(localName, open.peek(), value);
        }

    }

    /** Schema errors, kept as French warnings; counts the rest. */
    static final class Warnings {
        private final List<String> kept = new ArrayList<>();
        private int dropped;
        private boolean muted;

        void add(String warning) {
            if (muted) {
                return;
            }
            if (kept.size() < MAX_WARNINGS) {
                kept.add(warning);
            } else {
                dropped++;
            }
        }

        /** Stops collecting schema errors (the file is checked against another schema than this one). */
        void mute(String why) {
            kept.clear();
            dropped = 0;
            kept.add(why);
            muted = true;
        }

        List<String> list() {
            if (dropped == 0) {
                return List.copyOf(kept);
            }
            List<String> all = new ArrayList<>(kept);
            all.add("… et " + dropped + " autre(s) écart(s) au schéma non détaillé(s).");
            return List.copyOf(all);
        }
    }

    /** A refusal raised inside the SAX pipeline, unwrapped by {@link #parse}. */
    static final class Refusal extends SAXException {
        final transient ReturnFileException refusal;

        Refusal(ReturnFileException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    static Refusal refusal(String rule, String message, Locator at) {
        return new Refusal(new ReturnFileException(rule, message, at == null ? null
                : "ligne " + at.getLineNumber() + ", colonne " + at.getColumnNumber(), null, null));
    }

    /** Parses {@code in} through {@code schema} into {@code handler}. */
    static void parse(InputStream in, Schema schema, Handler handler) throws IOException, ReturnFileException {
        Trail trail = new Trail(SafeXml.saxReader(), limits.counter());
        ValidatorHandler validator = SafeSchemas.validatorHandler(schema);
        validator.setErrorHandler(SafeSchemas.errorHandler((e, level) -> {
            // schema warnings (an odd xsi:schemaLocation hint) say nothing about the content; a fatal
            // error is rethrown by the handler and reported by the catch below
            if (level == SafeSchemas.Level.ERROR) {
                handler.warnings.add(asWarning(XsdError.of(e.getMessage(), e.getLineNumber(), e.getColumnNumber(),
                        trail.current(), trail.path(), false)));
            }
        }));
        validator.setContentHandler(handler);
        trail.setContentHandler(validator);
        trail.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                // only reported when validating a DTD, which never happens here
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        try {
            trail.parse(new InputSource(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16)));
        } catch (Refusal r) {
            throw r.refusal;
        } catch (SAXParseException e) {
            String where = e.getLineNumber() > 0 ? "ligne " + e.getLineNumber() + ", colonne " + e.getColumnNumber() : null;
            String detail = e.getMessage();
            if (detail != null && detail.contains("DOCTYPE")) {
                throw new ReturnFileException(ReturnFileException.DOCTYPE, "Le fichier contient une déclaration "
                        + "DOCTYPE (DTD) : un retour d'Hélios n'en contient jamais et elle est refusée pour des "
                        + "raisons de sécurité. Le fichier n'a pas été lu.", where, detail, e);
            }
            throw new ReturnFileException(ReturnFileException.UNREADABLE, "Le fichier n'est pas un XML lisible"
                    + (where == null ? "" : " (" + where + ")") + " : il est vide, tronqué, abîmé ou n'est pas dans "
                    + "l'encodage qu'il déclare. Redemandez-le à la plateforme de télétransmission.", where, detail, e);
        } catch (SAXException e) {
            throw new ReturnFileException(ReturnFileException.UNREADABLE, "Le fichier n'a pas pu être lu comme un XML.",
                    null, e.getMessage(), e);
        }
    }

    /** The project's French wording of a schema error, said of a file received rather than of a flow sent. */
    private static String asWarning(XsdError error) {
        String french = error.french();
        String sent = "Le flux ne respecte pas";
        return french.startsWith(sent) ? "Le fichier reçu ne respecte pas" + french.substring(sent.length()) : french;
    }

    /**
     * Tracks the open elements ahead of the validator: it reports a bad attribute while its element
     * starts, before the handler behind it has seen that element.
     */
    static final class Trail extends XMLFilterImpl {
        private final Deque<String> open = new ArrayDeque<>();
        private final XmlLimits.Counter counter;
        private Locator locator;

        Trail(XMLReader parent, XmlLimits.Counter counter) {
            super(parent);
            this.counter = counter;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        /** The limits, checked here as the file streams, before the validator and the handler see anything. */
        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            String at = locator == null ? null : "ligne " + locator.getLineNumber() + ", colonne " + locator.getColumnNumber();
            Rejection limit = counter.start(localName, atts.getLength(), at);
            for (int i = 0; limit == null && i < atts.getLength(); i++) {
                limit = counter.attribute(localName, atts.getLocalName(i), atts.getValue(i).length(), at);
            }
            refuse(limit);
            open.push(localName);
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            refuse(counter.text(length, open.peek(), locator == null ? null : "ligne " + locator.getLineNumber()));
            super.characters(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            super.endElement(uri, localName, qName);
            counter.end();
            open.pop();
        }

        private static void refuse(Rejection limit) throws Refusal {
            if (limit != null) {
                throw new Refusal(new ReturnFileException(limit.rule(), "Le fichier reçu n'a pas été lu : "
                        + limit.message(), limit.location(), limit.rule(), null));
            }
        }

        String current() {
            return open.peek();
        }

        String path() {
            List<String> names = new ArrayList<>(open);
            Collections.reverse(names);
            return "/" + String.join("/", names);
        }
    }

    /** What a wrong root is, in words an accountant knows. */
    static String whatItIs(String namespace, String localName) {
        Map<String, String> known = Map.of(
                "PES_Aller", "un flux PES_Aller (envoyé à Hélios), pas un retour",
                "PES_ACQUIT", "un acquittement (PES_ACQUIT)",
                "PES_Retour", "un PES_Retour (retour de rejet ou périodique)");
        String it = known.get(localName);
        if (it == null) {
            return "un document XML dont l'élément racine est <" + localName + ">";
        }
        return it;
    }

    /** A date V="yyyy-MM-dd", or null (unreadable dates are left to the schema warnings). */
    static LocalDate date(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static BigDecimal amount(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
