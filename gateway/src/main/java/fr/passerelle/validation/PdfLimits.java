package fr.passerelle.validation;

import fr.passerelle.settings.Settings;

/**
 * Bounds on one PDF, checked by {@link PdfBounds} with bounded work before anything walks the
 * document recursively or veraPDF parses it: objects in the cross-reference table, pages, the
 * decompressed size of one stream and of all streams, the size of the structured attachment.
 * Real Factur-X invoices have a few pages and a few hundred objects.
 */
public record PdfLimits(long maxObjects, int maxPages, long maxStreamSize, long maxDecompressedSize,
                        long maxAttachmentSize) {

    public static final PdfLimits DEFAULT = new PdfLimits(200_000, 5_000, 128L << 20, 512L << 20, 20L << 20);

    public PdfLimits {
        if (maxObjects <= 0 || maxPages <= 0 || maxStreamSize <= 0 || maxDecompressedSize <= 0 || maxAttachmentSize <= 0) {
            throw new IllegalArgumentException("PDF limits must be positive");
        }
    }

    /** {@code passerelle.limits.pdf.*}, these defaults for what is not set. */
    public static PdfLimits of(Settings s) {
        if (s == null) {
            return DEFAULT;
        }
        String p = "passerelle.limits.pdf.";
        return new PdfLimits(s.getSize(p + "max-objects", DEFAULT.maxObjects()),
                (int) s.getSize(p + "max-pages", DEFAULT.maxPages()),
                s.getSize(p + "max-stream-size", DEFAULT.maxStreamSize()),
                s.getSize(p + "max-decompressed-size", DEFAULT.maxDecompressedSize()),
                s.getSize(p + "max-attachment-size", DEFAULT.maxAttachmentSize()));
    }
}
