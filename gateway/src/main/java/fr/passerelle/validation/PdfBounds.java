package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

import fr.passerelle.pdf.PdfStreams;

/**
 * Checks a loaded PDF against {@link PdfLimits} with bounded work, before anything walks it
 * recursively or decodes it whole: the number of objects (cross-reference table), the page tree
 * walked iteratively with a visited set (a loop down /Kids or up /Parent, or more pages than
 * allowed, stops it: veraPDF never ends on a /Parent loop, HostileLimitsTest shows it), and every
 * stream decoded with a cap (a Flate bomb never inflates beyond it; images are not decoded).
 */
final class PdfBounds {

    /** Filters whose output is an image raster: never decoded here (costly, and bounded by the image's size). */
    private static final List<String> IMAGE_FILTERS = List.of(COSName.DCT_DECODE.getName(), COSName.JPX_DECODE.getName(),
            COSName.JBIG2_DECODE.getName(), COSName.CCITTFAX_DECODE.getName());

    private PdfBounds() {
    }

    /** The first limit the document passes, as a container finding; null when it is within all. */
    static Finding check(PDDocument pdf, PdfLimits limits) throws IOException {
        int objects = pdf.getDocument().getXrefTable().size();
        if (objects > limits.maxObjects()) {
            return limit("LIMIT-PDF-OBJECTS", null, "Le PDF contient " + objects + " objets, au-delà des "
                    + limits.maxObjects() + " admis pour une facture", "xref size " + objects);
        }
        Finding pages = pageTree(pdf, limits);
        return pages != null ? pages : streams(pdf, limits);
    }

    /** Walks /Pages iteratively: every node once, a node met twice is a loop. */
    static Finding pageTree(PDDocument pdf, PdfLimits limits) {
        COSDictionary root = pdf.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PAGES);
        if (root == null) {
            return null;
        }
        int declared = root.getInt(COSName.COUNT, 0);
        if (declared > limits.maxPages()) {
            return limit("LIMIT-PDF-PAGES", "arbre des pages", "Le PDF annonce " + declared + " pages, au-delà des "
                    + limits.maxPages() + " admises pour une facture", "/Count " + declared);
        }
        Set<COSDictionary> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<COSDictionary> finite = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<COSDictionary> todo = new ArrayDeque<>();
        todo.push(root);
        int leaves = 0;
        while (!todo.isEmpty()) {
            COSDictionary node = todo.pop();
            if (!visited.add(node)) {
                return limit("LIMIT-PDF-PAGETREE", "arbre des pages", "L'arbre des pages du PDF se contient lui-même "
                        + "(une page ou un groupe de pages y figure deux fois) : le document n'a pas de fin",
                        "page tree node met twice");
            }
            if (visited.size() > limits.maxObjects()) {
                return limit("LIMIT-PDF-PAGETREE", "arbre des pages", "L'arbre des pages du PDF compte plus de "
                        + limits.maxObjects() + " nœuds", "page tree nodes > " + limits.maxObjects());
            }
            if (!parentsEnd(node, finite, limits.maxObjects())) {
                return limit("LIMIT-PDF-PAGETREE", "arbre des pages", "L'arbre des pages du PDF remonte vers "
                        + "lui-même (ses liens /Parent forment une boucle) : le document n'a pas de fin",
                        "/Parent chain loops");
            }
            COSBase kids = node.getDictionaryObject(COSName.KIDS);
            if (kids instanceof COSArray array && !COSName.PAGE.equals(node.getCOSName(COSName.TYPE))) {
                for (int i = array.size() - 1; i >= 0; i--) {
                    COSBase kid = array.getObject(i);
                    if (kid instanceof COSDictionary dict) {
                        todo.push(dict);
                    }
                }
            } else if (++leaves > limits.maxPages()) {
                return limit("LIMIT-PDF-PAGES", "arbre des pages", "Le PDF compte plus de " + limits.maxPages()
                        + " pages, au-delà de ce qu'une facture peut compter", "pages > " + limits.maxPages());
            }
        }
        return null;
    }

    /**
     * Whether the /Parent chain above {@code node} ends (inherited attributes are looked up along
     * it: veraPDF walks it without end when it loops). Chains known to end are remembered, so the
     * whole tree costs one step per node.
     */
    private static boolean parentsEnd(COSDictionary node, Set<COSDictionary> finite, long maxSteps) {
        Set<COSDictionary> chain = Collections.newSetFromMap(new IdentityHashMap<>());
        COSDictionary at = node;
        while (at != null && !finite.contains(at)) {
            if (!chain.add(at) || chain.size() > maxSteps) {
                return false;
            }
            at = at.getCOSDictionary(COSName.PARENT);
        }
        finite.addAll(chain);
        return true;
    }

    private static boolean imageFiltered(COSStream stream) {
        COSBase filter = stream.getDictionaryObject(COSName.FILTER);
        if (filter instanceof COSName name) {
            return IMAGE_FILTERS.contains(name.getName());
        }
        if (filter instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name && IMAGE_FILTERS.contains(name.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Every non-image stream within the per-stream and total limits, decoding only the streams
     * whose raw length does not already prove it ({@link StreamBudget}).
     */
    static Finding streams(PDDocument pdf, PdfLimits limits) throws IOException {
        List<StreamBudget.Entry> entries = new ArrayList<>();
        for (COSObjectKey key : List.copyOf(pdf.getDocument().getXrefTable().keySet())) {
            COSObject object = pdf.getDocument().getObjectFromPool(key);
            COSBase base = object == null ? null : object.getObject();
            if (!(base instanceof COSStream stream) || COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))
                    || imageFiltered(stream)) {
                continue;
            }
            entries.add(entry("objet " + key.getNumber() + " " + key.getGeneration(), stream));
        }
        StreamBudget.Refusal refused = new StreamBudget(limits.maxStreamSize(), limits.maxDecompressedSize()).check(entries);
        if (refused == null) {
            return null;
        }
        if (!refused.total()) {
            return limit("LIMIT-PDF-STREAM", refused.location(), "Un flux du PDF dépasse " + (limits.maxStreamSize() >> 20)
                    + " Mo une fois décompressé (bombe de décompression ?)", "stream > " + limits.maxStreamSize());
        }
        return limit("LIMIT-PDF-STREAM", refused.location(), "Les flux du PDF dépassent ensemble "
                + (limits.maxDecompressedSize() >> 20) + " Mo une fois décompressés", "streams > "
                + limits.maxDecompressedSize());
    }

    /**
     * A stream without filter is its raw length; a plain Flate stream at most 1032 times it; any
     * other, or one whose stored bytes cannot be read, is decoded.
     */
    private static StreamBudget.Entry entry(String location, COSStream stream) {
        StreamBudget.Decoder decoder = cap -> PdfStreams.decodedLengthUpToDamage(stream, cap);
        COSBase filter = stream.getDictionaryObject(COSName.FILTER);
        if (filter instanceof COSArray array && array.size() == 1) {
            filter = array.getObject(0);
        }
        boolean none = filter == null || filter instanceof COSArray array && array.size() == 0;
        boolean plainFlate = (COSName.FLATE_DECODE.equals(filter) || COSName.FLATE_DECODE_ABBREVIATION.equals(filter))
                && !predicted(stream);
        if (!none && !plainFlate) {
            return StreamBudget.Entry.bounded(location, -1, decoder);
        }
        long raw;
        try {
            raw = rawLength(stream);
        } catch (IOException | RuntimeException unreadable) {
            return StreamBudget.Entry.bounded(location, -1, decoder);
        }
        if (none) {
            return StreamBudget.Entry.exact(location, raw);
        }
        long bound = raw > Long.MAX_VALUE / StreamBudget.DEFLATE_MAX_RATIO ? Long.MAX_VALUE
                : raw * StreamBudget.DEFLATE_MAX_RATIO;
        return StreamBudget.Entry.bounded(location, bound, decoder);
    }

    /**
     * A predictor reshapes rows after inflating (and pads the last one): such a stream is decoded
     * rather than bounded. Both spellings of the parameters are looked at, whichever PDFBox reads.
     */
    private static boolean predicted(COSStream stream) {
        for (COSName key : List.of(COSName.DECODE_PARMS, COSName.DP)) {
            COSBase params = stream.getDictionaryObject(key);
            if (params instanceof COSArray array) {
                for (int i = 0; i < array.size(); i++) {
                    if (predicts(array.getObject(i))) {
                        return true;
                    }
                }
            } else if (predicts(params)) {
                return true;
            }
        }
        return false;
    }

    private static boolean predicts(COSBase params) {
        return params instanceof COSDictionary dict && dict.getInt(COSName.PREDICTOR, 1) > 1;
    }

    /** The stored bytes, counted (the /Length entry is the producer's word, not a measure). */
    private static long rawLength(COSStream stream) throws IOException {
        try (InputStream raw = stream.createRawInputStream()) {
            return raw.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** The declared or raw size of an embedded file beyond the attachment limit, before decoding it. */
    static Finding attachment(COSStream embedded, String name, PdfLimits limits) {
        long raw = embedded.getLength();
        COSDictionary params = embedded.getCOSDictionary(COSName.PARAMS);
        long declared = params == null || !(params.getDictionaryObject(COSName.SIZE) instanceof COSNumber n) ? 0 : n.longValue();
        long size = Math.max(raw, declared);
        if (size > limits.maxAttachmentSize()) {
            return limit("LIMIT-PDF-ATTACHMENT", "fichier joint " + name, "La pièce jointe " + name + " pèse "
                    + (size >> 20) + " Mo, au-delà des " + (limits.maxAttachmentSize() >> 20) + " Mo admis",
                    "embedded file length " + raw + ", /Params /Size " + declared);
        }
        return null;
    }

    static Finding limit(String rule, String location, String what, String text) {
        return new Finding(Layer.CONTAINER, rule, Severity.ERROR, location, what + " : le fichier est refusé sans "
                + "être analysé plus loin, pour protéger la plateforme. Demandez au fournisseur un PDF/A-3 conforme, "
                + "produit par son logiciel de facturation.", text);
    }
}
