package fr.passerelle.xml;

import javax.xml.XMLConstants;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import javax.xml.validation.ValidatorHandler;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The only way the gateway validates against an XSD: {@link SafeXml}'s counterpart for schemas.
 * A schema factory compiles only the artefacts shipped with the gateway; a validator never fetches
 * a DTD or a schema named by the document and keeps the JDK's limits (it may parse the bytes itself).
 */
public final class SafeSchemas {

    private SafeSchemas() {
    }

    /**
     * A schema factory with secure processing whose schemas may include their modules from the jar
     * or target/classes only. A new one each call: a factory is not promised to be thread-safe.
     */
    public static SchemaFactory factory() {
        try {
            SchemaFactory f = SchemaFactory.newDefaultInstance(); // the JDK's Xerces: it honours the properties below
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // after FSP, which resets both
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar,file");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            return f;
        } catch (SAXException e) {
            throw new IllegalStateException("Schema factory cannot be hardened", e);
        }
    }

    /** A validator of {@code schema} that fetches nothing and keeps the JDK's limits. */
    public static Validator validator(Schema schema) {
        Validator validator = schema.newValidator();
        harden(validator::setProperty);
        return validator;
    }

    /** The same for a SAX pipeline (validation while a content handler reads the document). */
    public static ValidatorHandler validatorHandler(Schema schema) {
        ValidatorHandler validator = schema.newValidatorHandler();
        harden(validator::setProperty);
        return validator;
    }

    /** Validator and ValidatorHandler share no type but this one method. */
    @FunctionalInterface
    private interface Properties {
        void set(String name, Object value) throws SAXException;
    }

    private static void harden(Properties validator) {
        try {
            validator.set(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.set(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException("XSD validator cannot be hardened", e);
        }
        SafeXml.JDK_LIMITS.forEach((name, value) -> SafeXml.trySet(() -> validator.set(name, value)));
    }

    /** How serious a schema finding is, as the validator raised it. */
    public enum Level {
        WARNING, ERROR, FATAL
    }

    /** Receives every schema finding; a fatal one stops validation right after. */
    @FunctionalInterface
    public interface Findings {
        void report(SAXParseException e, Level level);
    }

    /**
     * An error handler that hands each finding to {@code findings} and then rethrows a fatal one
     * (validation cannot go on after it), so that each caller only decides what it keeps.
     */
    public static ErrorHandler errorHandler(Findings findings) {
        return new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                findings.report(e, Level.WARNING);
            }

            @Override
            public void error(SAXParseException e) {
                findings.report(e, Level.ERROR);
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                findings.report(e, Level.FATAL);
                throw e;
            }
        };
    }
}
