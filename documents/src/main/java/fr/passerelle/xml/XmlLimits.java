package fr.passerelle.xml;

import java.util.Locale;

import fr.passerelle.document.Rejection;

/**
 * Bounds on one XML document, checked in a streaming pass before any tree (DOM, Saxon) is built or
 * any validator runs: nesting depth, number of elements, attributes per element, size of one
 * attribute value, of the text of one element, and of a name. A document within them costs memory
 * and time in proportion to its size; one beyond them is refused with a {@code LIMIT-XML-*} rule.
 * Invoices and PES flows differ by their text: a PES carries PJ as base64 text nodes of up to
 * ~100 MB, an invoice never needs more than an embedded PDF's worth.
 */
public record XmlLimits(int maxDepth, long maxElements, int maxAttributes, int maxAttributeSize, long maxTextSize,
                        int maxNameLength) {

    /** The JDK parsers' own depth limit (SafeXml, second line): the first line cannot go beyond it. */
    public static final int PARSER_MAX_DEPTH = 1000;

    /**
     * Real UBL / CII / Factur-X invoices nest 6 to 8 levels; a 20,000-line UBL invoice has ~300,000
     * elements (3 GB allocated to validate it: bench hostile); the 20 MB size limit bounds the rest.
     */
    public static final XmlLimits INVOICE = new XmlLimits(128, 1_000_000, 64, 64 * 1024, 16L << 20, 256);
    /** Real PES flows nest about 13 levels (signed); a PJ is one base64 text node of up to ~100 MB. */
    public static final XmlLimits PES = new XmlLimits(128, 5_000_000, 64, 64 * 1024, 128L << 20, 256);

    public XmlLimits {
        if (maxDepth <= 0 || maxDepth > PARSER_MAX_DEPTH) {
            throw new IllegalArgumentException("XML max depth must be between 1 and " + PARSER_MAX_DEPTH + ": " + maxDepth);
        }
        if (maxElements <= 0 || maxAttributes <= 0 || maxAttributeSize <= 0 || maxTextSize <= 0 || maxNameLength <= 0) {
            throw new IllegalArgumentException("XML limits must be positive");
        }
    }

    /** Where sizes are read from: the gateway's settings ({@code settings::getSize}), "2MB" or "1000" as a number. */
    @FunctionalInterface
    public interface Sizes {
        long getSize(String key, long fallback);
    }

    /** The invoice limits of {@code passerelle.limits.xml.*}, these defaults for what is not set. */
    public static XmlLimits invoice(Sizes settings) {
        return read(settings, INVOICE, "passerelle.limits.xml.");
    }

    /** The PES limits: elements and text from {@code passerelle.limits.pes.*}, the rest shared with invoices. */
    public static XmlLimits pes(Sizes settings) {
        return read(settings, PES, "passerelle.limits.pes.");
    }

    /** The shared limits from passerelle.limits.xml.*, element count and text size from the given prefix. */
    private static XmlLimits read(Sizes s, XmlLimits d, String ownPrefix) {
        if (s == null) {
            return d;
        }
        String shared = "passerelle.limits.xml.";
        return new XmlLimits((int) s.getSize(shared + "max-depth", d.maxDepth()),
                s.getSize(ownPrefix + "max-elements", d.maxElements()),
                (int) s.getSize(shared + "max-attributes", d.maxAttributes()),
                (int) s.getSize(shared + "max-attribute-size", d.maxAttributeSize()),
                s.getSize(ownPrefix + "max-text-size", d.maxTextSize()),
                (int) s.getSize(shared + "max-name-length", d.maxNameLength()));
    }

    /** Counts one document's elements against these limits; each method answers the first limit passed, or null. */
    public Counter counter() {
        return new Counter(this);
    }

    /** The running count of one document (not thread-safe: one per parse). */
    public static final class Counter {
        private final XmlLimits limits;
        private int depth;
        private long elements;
        private long text;

        Counter(XmlLimits limits) {
            this.limits = limits;
        }

        public int depth() {
            return depth;
        }

        /** An element starts, with its attribute (and namespace declaration) count. */
        public Rejection start(String name, int attributes, String at) {
            depth++;
            elements++;
            text = 0;
            if (name.length() > limits.maxNameLength) {
                return reject("LIMIT-XML-NAME", at, "Un nom d'élément ou d'attribut compte " + name.length()
                        + " caractères, au-delà des " + limits.maxNameLength + " admis");
            }
            if (depth > limits.maxDepth) {
                return reject("LIMIT-XML-DEPTH", at, "Les éléments XML sont imbriqués sur plus de " + limits.maxDepth
                        + " niveaux (élément <" + name + ">), alors qu'une facture ou un flux PES réel n'en compte "
                        + "qu'une quinzaine au plus");
            }
            if (elements > limits.maxElements) {
                return reject("LIMIT-XML-ELEMENTS", at, "Le fichier contient plus de " + number(limits.maxElements)
                        + " éléments XML, au-delà de ce qu'une facture ou un flux peut contenir (découpez-le en "
                        + "plusieurs fichiers s'il est légitime)");
            }
            if (attributes > limits.maxAttributes) {
                return reject("LIMIT-XML-ATTRIBUTES", at, "L'élément <" + name + "> porte " + attributes
                        + " attributs, au-delà des " + limits.maxAttributes + " admis");
            }
            return null;
        }

        /** One attribute's value, by its name. */
        public Rejection attribute(String element, String name, int length, String at) {
            if (name.length() > limits.maxNameLength) {
                return reject("LIMIT-XML-NAME", at, "Un nom d'attribut compte " + name.length()
                        + " caractères, au-delà des " + limits.maxNameLength + " admis");
            }
            if (length > limits.maxAttributeSize) {
                return reject("LIMIT-XML-ATTRIBUTES", at, "La valeur de l'attribut " + name + " de l'élément <" + element
                        + "> compte " + number(length) + " caractères, au-delà des " + number(limits.maxAttributeSize)
                        + " admis");
            }
            return null;
        }

        /** A piece of text of the element open now (text pieces add up until the next tag). */
        public Rejection text(long length, String element, String at) {
            text += length;
            if (text > limits.maxTextSize) {
                return reject("LIMIT-XML-TEXT", at, "Le texte de l'élément <" + element + "> dépasse "
                        + megabytes(limits.maxTextSize) + ", au-delà de ce qu'un tel champ peut contenir");
            }
            return null;
        }

        /** An element ends. */
        public void end() {
            depth--;
            text = 0;
        }

        private static Rejection reject(String rule, String at, String what) {
            return new Rejection("xml", rule, at, what + " : le fichier est refusé sans être analysé, pour protéger "
                    + "la plateforme. Demandez à l'émetteur (ou à l'éditeur de son logiciel) un fichier conforme.");
        }
    }

    static String number(long n) {
        return String.format(Locale.FRANCE, "%,d", n).replace('\u202f', ' ').replace('\u00a0', ' ');
    }

    static String megabytes(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " Mo" : bytes >= 1024 ? (bytes >> 10) + " Ko" : bytes + " octets";
    }
}
