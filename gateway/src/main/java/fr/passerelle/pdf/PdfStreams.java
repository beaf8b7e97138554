package fr.passerelle.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;

/**
 * A PDF stream decoded with a cap, whatever its filters. PDFBox's own decoding (createInputStream)
 * inflates the whole stream in memory before the first byte is read: a 600 KB Flate bomb is then
 * an OutOfMemoryError. Here each filter writes into an output that stops at the cap.
 */
public final class PdfStreams {

    /** Intermediate stages of a filter chain are held in memory: never more than this. */
    private static final long INTERMEDIATE_CAP = 32L << 20;

    /** The decoded stream is longer than the cap. */
    public static final class OverCapException extends IOException {
        public OverCapException(long cap) {
            super("decoded stream longer than " + cap + " bytes");
        }
    }

    private PdfStreams() {
    }

    /** The decoded bytes, at most cap of them; OverCapException beyond. */
    public static byte[] decoded(COSStream stream, long cap) throws IOException {
        CappedOutput out = new CappedOutput(cap, true);
        decodeInto(stream, out);
        return out.bytes();
    }

    /**
     * The decoded length, counted without keeping the bytes; a damaged stream counts what it gave
     * before the damage (a reader that decodes it gets as much); OverCapException beyond the cap.
     */
    public static long decodedLengthUpToDamage(COSStream stream, long cap) throws OverCapException {
        CappedOutput out = new CappedOutput(cap, false);
        try {
            decodeInto(stream, out);
        } catch (OverCapException over) {
            throw over;
        } catch (IOException | RuntimeException damaged) {
            out.check();
        }
        return out.count;
    }

    private static void decodeInto(COSStream stream, CappedOutput out) throws IOException {
        List<COSName> filters = filters(stream);
        try (InputStream raw = stream.createRawInputStream()) {
            InputStream stage = raw;
            for (int i = 0; i < filters.size(); i++) {
                boolean last = i == filters.size() - 1;
                CappedOutput target = last ? out : new CappedOutput(Math.min(out.cap, INTERMEDIATE_CAP), true);
                FilterFactory.INSTANCE.getFilter(filters.get(i)).decode(stage, target, stream, i);
                target.check(); // a filter may swallow the exception and stop early
                if (!last) {
                    stage = new ByteArrayInputStream(target.bytes());
                }
            }
            if (filters.isEmpty()) {
                stage.transferTo(out);
            }
        }
        out.check();
    }

    private static List<COSName> filters(COSStream stream) {
        COSBase filter = stream.getDictionaryObject(COSName.FILTER);
        List<COSName> names = new ArrayList<>();
        if (filter instanceof COSName name) {
            names.add(name);
        } else if (filter instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Counts (and keeps, if asked) what a filter writes, and refuses anything past the cap. */
    private static final class CappedOutput extends OutputStream {
        final long cap;
        final ByteArrayOutputStream kept;
        long count;
        boolean over;

        CappedOutput(long cap, boolean keep) {
            this.cap = cap;
            this.kept = keep ? new ByteArrayOutputStream() : null;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (count + len > cap) {
                over = true;
                throw new OverCapException(cap);
            }
            count += len;
            if (kept != null) {
                kept.write(b, off, len);
            }
        }

        void check() throws OverCapException {
            if (over) {
                throw new OverCapException(cap);
            }
        }

        byte[] bytes() {
            return kept.toByteArray();
        }
    }
}
