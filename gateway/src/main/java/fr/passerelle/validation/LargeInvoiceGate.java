package fr.passerelle.validation;

import java.util.concurrent.Semaphore;

/**
 * Large invoices are judged one at a time. The heap a validation needs grows with its XML (the
 * trees of the schema and Schematron layers: about 1 GB for a 20,000-line invoice, `bench hostile`),
 * so with several judges at work, two of them on large invoices at once is what would exhaust the
 * heap; small invoices never wait here.
 */
public final class LargeInvoiceGate {

    /** No invoice is large: nothing ever waits (the command line validates one file at a time). */
    public static final LargeInvoiceGate NONE = new LargeInvoiceGate(Long.MAX_VALUE);

    /** Held while a large invoice is judged; closing it lets the next one in. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    private final long largeBytes;
    private final Semaphore one = new Semaphore(1);

    public LargeInvoiceGate(long largeBytes) {
        this.largeBytes = largeBytes;
    }

    /** Waits for the gate when the invoice XML is large, at once otherwise. */
    public Pass enter(long xmlBytes) {
        if (xmlBytes < largeBytes) {
            return () -> {
            };
        }
        try {
            one.acquire();
        } catch (InterruptedException e) {
            // the judge was stopped (deadline) while it waited: nothing was judged
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while waiting to judge a large invoice", e);
        }
        return one::release;
    }
}
