package fr.passerelle.pes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * The PES package's parsers, hardened like {@link fr.passerelle.xml.SafeXml} (no DTD, no external
 * entity), with two differences PES flows need: a SAX reader that can sit under a validator (so
 * that an error can name the element it is about), and a StAX factory that does NOT coalesce
 * text, because one {@code Fichier} can hold tens of megabytes of base64 that must never become
 * one String.
 */
final class PesXml {

    static final String ALLER_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller";
    static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    private static final XMLInputFactory STAX = newStaxFactory();
    private static final XMLOutputFactory STAX_OUT = XMLOutputFactory.newDefaultFactory();

    private PesXml() {
    }

    /** A namespace-aware SAX reader that refuses any DOCTYPE and never fetches anything. */
    static XMLReader saxReader() {
        return fr.passerelle.xml.SafeXml.saxReader();
    }

    /** Streaming StAX reader factory: no DTD, no external entity, text NOT coalesced. */
    static XMLInputFactory stax() {
        return STAX;
    }

    /** The JDK's writer, whatever else is on the classpath (it escapes what the encoding cannot hold). */
    static XMLOutputFactory staxOut() {
        return STAX_OUT;
    }

    private static XMLInputFactory newStaxFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /** Where the content of a PJ is not valid base64. */
    @FunctionalInterface
    interface InvalidPjContent {
        void report(String message, int line, int column, String path);
    }

    /**
     * Passes SAX events through while keeping the stack of open elements, so that an error raised
     * downstream (by a validator) can say which element it is about: Xerces names it in some
     * messages only ("Value '12' is not facet-valid…" does not).
     * <p>With {@link #checkPjContentHere}, the text of PJ/Contenu/Fichier is checked here, as it
     * streams, and not passed on: a validator buffers a simple element's whole text before checking
     * it, so one 70 MB PJ would cost some 300 MB of heap. The check is the one Xerces applies to
     * xs:base64Binary (the type of Fichier, which has no other facet): the validator then sees an
     * empty Fichier, which is valid, and only its attributes (MIMEType) are left for it to judge.
     */
    static final class ElementTrail extends XMLFilterImpl {

        private final Deque<String> open = new ArrayDeque<>();
        private Locator locator;
        private InvalidPjContent pjContentSink;
        private Base64Check pjContent;
        private int pjContentDepth;

        ElementTrail(XMLReader parent) {
            super(parent);
        }

        /** Checks PJ content as base64 here (streaming) instead of handing it to the validator. */
        ElementTrail checkPjContentHere(InvalidPjContent sink) {
            this.pjContentSink = sink;
            return this;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        @Override
        public void startDocument() throws SAXException {
            open.clear();
            pjContent = null;
            super.startDocument();
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            open.push(localName); // before the validator sees it: errors on its attributes name it
            if (pjContentSink != null && pjContent == null && localName.equals("Fichier") && isPjContent()) {
                pjContent = new Base64Check();
                pjContentDepth = open.size();
            }
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (pjContent != null) {
                pjContent.accept(ch, start, length);
            } else {
                super.characters(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            if (pjContent == null) {
                super.ignorableWhitespace(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (pjContent != null && open.size() == pjContentDepth) {
                String problem = pjContent.finish();
                pjContent = null;
                if (problem != null) {
                    pjContentSink.report(problem, locator == null ? 0 : locator.getLineNumber(),
                            locator == null ? 0 : locator.getColumnNumber(), path());
                }
            }
            super.endElement(uri, localName, qName); // errors on its content are raised here, it is still open
            open.pop();
        }

        /** The innermost open element, or null outside the root. */
        String current() {
            return open.peek();
        }

        /** The open elements from the root, e.g. PES_Aller/PES_DepenseAller/Bordereau. */
        String path() {
            StringBuilder b = new StringBuilder();
            for (Iterator<String> it = open.descendingIterator(); it.hasNext(); ) {
                b.append(b.length() == 0 ? "" : "/").append(it.next());
            }
            return b.toString();
        }

        /** …/PES_PJ/PJ/Contenu/Fichier, the Fichier just pushed. */
        private boolean isPjContent() {
            Iterator<String> up = open.iterator();
            up.next(); // Fichier
            return up.hasNext() && up.next().equals("Contenu") && up.hasNext() && up.next().equals("PJ")
                    && up.hasNext() && up.next().equals("PES_PJ");
        }
    }

    /**
     * xs:base64Binary as Xerces judges it, one chunk at a time: whitespace ignored, then groups of
     * four characters of the base64 alphabet, "=" padding only at the very end (one or two), and
     * the bits the padding leaves unused set to zero.
     */
    static final class Base64Check {

        private long count;
        private int pads;
        private int lastData = -1;
        private String problem;

        void accept(char[] ch, int start, int length) {
            for (int i = start; i < start + length && problem == null; i++) {
                char c = ch[i];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                count++;
                if (c == '=') {
                    pads++;
                } else {
                    int v = value(c);
                    if (v < 0) {
                        problem = "character '" + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c))
                                + "' at position " + count + " is not base64";
                    } else if (pads > 0) {
                        problem = "base64 data after the '=' padding (position " + count + ")";
                    } else {
                        lastData = v;
                    }
                }
            }
        }

        /** Null when the whole text was valid base64, else what is wrong. */
        String finish() {
            if (problem != null) {
                return problem;
            }
            if (count % 4 != 0) {
                return "base64 text of " + count + " characters, not a multiple of 4 (truncated content?)";
            }
            if (pads > 2) {
                return "more than two '=' at the end of the base64 text";
            }
            if ((pads == 1 && (lastData & 0x3) != 0) || (pads == 2 && (lastData & 0xf) != 0)) {
                return "base64 text badly padded at its end";
            }
            return null;
        }

        private static int value(char c) {
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 26;
            }
            if (c >= '0' && c <= '9') {
                return c - '0' + 52;
            }
            return c == '+' ? 62 : c == '/' ? 63 : -1;
        }
    }
}
