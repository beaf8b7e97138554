package fr.passerelle.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.validation.Schema;
import javax.xml.validation.ValidatorHandler;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

import fr.passerelle.xml.SafeSchemas;

/**
 * A SAX reader that checks what it reads against a schema on the way: the one parse of an invoice
 * builds its tree and gives the schema layer's findings, where the XSD validator used to parse the
 * bytes a second time. The tree receives each parser event first and as it is (a schema's default
 * attributes never reach it); the validator then receives it, until it cannot go on.
 */
final class SchemaCheckingReader extends XMLFilterImpl {

    /**
     * Each thread's validators, one per schema: making one per invoice was a tenth of the parse it
     * checks (bench treasury's profile), and each document's startDocument resets it, also after a
     * parse that stopped half-way.
     */
    private static final ThreadLocal<Map<Schema, ValidatorHandler>> VALIDATORS = ThreadLocal.withInitial(HashMap::new);

    private final ValidatorHandler validator;
    private final SchemaLayer.Collected collected = new SchemaLayer.Collected();
    private boolean validating = true;

    /** A reader for one parse on this thread (its validator is this thread's for that schema). */
    SchemaCheckingReader(XMLReader parser, Schema schema) {
        super(parser);
        this.validator = VALIDATORS.get().computeIfAbsent(schema, SafeSchemas::validatorHandler);
        validator.setErrorHandler(collected.errorHandler());
    }

    /** The schema findings, once the reader has parsed the document. */
    List<Finding> findings() {
        return collected.findings();
    }

    @FunctionalInterface
    private interface Event {
        void sendTo(ContentHandler handler) throws SAXException;
    }

    private void validate(Event event) {
        if (validating) {
            try {
                event.sendTo(validator);
            } catch (SAXException e) {
                collected.stoppedBy(e);
                validating = false;
            }
        }
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        validator.setDocumentLocator(locator); // the findings' lines and columns
        super.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
        super.startDocument();
        validate(ContentHandler::startDocument);
    }

    @Override
    public void endDocument() throws SAXException {
        super.endDocument();
        validate(ContentHandler::endDocument);
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        super.startPrefixMapping(prefix, uri);
        validate(h -> h.startPrefixMapping(prefix, uri));
    }

    @Override
    public void endPrefixMapping(String prefix) throws SAXException {
        super.endPrefixMapping(prefix);
        validate(h -> h.endPrefixMapping(prefix));
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        super.startElement(uri, localName, qName, atts);
        validate(h -> h.startElement(uri, localName, qName, atts));
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        super.endElement(uri, localName, qName);
        validate(h -> h.endElement(uri, localName, qName));
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        super.characters(ch, start, length);
        validate(h -> h.characters(ch, start, length));
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        super.ignorableWhitespace(ch, start, length);
        validate(h -> h.ignorableWhitespace(ch, start, length));
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
        super.processingInstruction(target, data);
        validate(h -> h.processingInstruction(target, data));
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
        super.skippedEntity(name);
        validate(h -> h.skippedEntity(name));
    }
}
