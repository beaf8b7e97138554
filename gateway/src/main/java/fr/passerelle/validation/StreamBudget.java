package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import fr.passerelle.pdf.PdfStreams;

/**
 * Proves that a PDF's streams stay within the decompression limits while decoding as few of them
 * as the proof needs. Deflate cannot expand its input more than 1032 times (one 258-byte match
 * per two bits: zlib's documented maximum), so a Flate stream's raw length already bounds what it
 * decodes to; a stream is decoded (with a cap) only when its bound alone, or the bounds together,
 * would pass a limit. The verdict is the one decoding everything gives: refused only if a stream
 * really decodes past the stream limit, or all of them together past the total.
 */
final class StreamBudget {

    /** zlib's "maximum compression factor" of deflate: output bytes per input byte, at most. */
    static final long DEFLATE_MAX_RATIO = 1032;

    /** A stream to account for: its exact size when known without decoding, else an upper bound or none. */
    record Entry(String location, long exact, long bound, Decoder decoder) {

        static Entry exact(String location, long size) {
            return new Entry(location, size, size, null);
        }

        /** A stream whose decoded size is at most {@code bound} (a negative bound: not known before decoding). */
        static Entry bounded(String location, long bound, Decoder decoder) {
            return new Entry(location, -1, bound, decoder);
        }

        boolean known() {
            return exact >= 0;
        }

        boolean unbounded() {
            return !known() && bound < 0;
        }
    }

    /**
     * Decodes a stream with a cap: its decoded length (of a damaged stream, what it gave before the
     * damage), or OverCapException when it passes the cap.
     */
    interface Decoder {
        long decodedLength(long cap) throws PdfStreams.OverCapException;
    }

    /** Why a budget was refused: which stream, and whether it passed the per-stream or the total limit. */
    record Refusal(String location, boolean total) {
    }

    private final long maxStream;
    private final long maxTotal;

    StreamBudget(long maxStream, long maxTotal) {
        this.maxStream = maxStream;
        this.maxTotal = maxTotal;
    }

    /**
     * The first limit the streams pass, or null: a stream decodes past the stream limit, or they
     * decode past the total together. Streams with no bound, or a bound past the stream limit, are
     * decoded first (in the given order); then, while the sizes known and the bounds left pass the
     * total, the stream with the largest bound is decoded. Every decode is capped at the stream
     * limit, so what a stream counts does not depend on when it is decoded.
     */
    Refusal check(List<Entry> entries) {
        List<Entry> pending = new ArrayList<>();
        long known = 0;
        long bounds = 0;
        for (Entry e : entries) {
            if (e.known() || e.unbounded() || e.bound() > maxStream) {
                long size = e.known() ? e.exact() : decode(e);
                if (size > maxStream) {
                    return new Refusal(e.location(), false);
                }
                known += size;
                if (known > maxTotal) {
                    return new Refusal(e.location(), true);
                }
            } else {
                pending.add(e);
                bounds += e.bound();
            }
        }
        pending.sort(Comparator.comparingLong(Entry::bound).reversed());
        for (Entry e : pending) {
            if (known + bounds <= maxTotal) {
                return null;
            }
            bounds -= e.bound();
            known += decode(e);
            if (known > maxTotal) {
                return new Refusal(e.location(), true);
            }
        }
        return null;
    }

    /** The decoded length, capped at the stream limit: past it, one more than the limit. */
    private long decode(Entry e) {
        try {
            return e.decoder().decodedLength(maxStream);
        } catch (PdfStreams.OverCapException over) {
            return maxStream + 1;
        }
    }
}
