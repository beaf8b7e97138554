package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file's chunks full while the gateway runs. H2 writes each commit as a new
 * chunk; a chunk whose pages were all rewritten since is freed, but one that keeps a few live pages
 * (a cold row, a report) stays. H2's background writer would rewrite those pages elsewhere, but it
 * runs only with a write delay, and the gateway has none (every commit written before it returns:
 * README "Crash safety"). Without this, at 200 invoices/s, the chunks were 5 % live after 90 s:
 * 10,000 chunks and 1.5 GB of file, growing by gigabytes an hour. This does H2's own compaction
 * ({@link MVStore#compact}) on a thread of its own, a bounded amount each time.
 */
public final class H2FileCompaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);

    /** Tunables ({@code passerelle.db.h2-compaction-*}). */
    public record Options(Duration period, int targetFillRate, int writeBytes) {
    }

    private final MVStore store;
    private final Options options;
    private final PeriodicTask timer;

    private H2FileCompaction(MVStore store, Options options) {
        this.store = store;
        this.options = options;
        this.timer = new PeriodicTask("h2-compaction", options.period(), this::compactOnce);
    }

    /** Starts compacting the H2 file behind the pool; nothing to do for another database. */
    static H2FileCompaction startIfH2File(DataSource pool, Options options) throws SQLException {
        MVStore store;
        try (Connection c = pool.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                return null;
            }
            // H2's engine objects: no SQL statement compacts a file that stays open
            store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        }
        if (store.getFileStore() == null) {
            return null; // in memory
        }
        return new H2FileCompaction(store, options);
    }

    /**
     * Rewrites the live pages of the emptiest old chunks, at most about {@code writeBytes}, when the
     * chunks are less than {@code targetFillRate} % live; then commits, so that the old chunks are
     * freed without waiting for the next transaction.
     */
    private void compactOnce() {
        try {
            if (!store.isClosed() && store.compact(options.targetFillRate(), options.writeBytes())) {
                store.tryCommit();
            }
        } catch (RuntimeException e) {
            // the next period tries again; a closed or broken store is the pool's and Flyway's to report
            LOG.debug("H2 compaction skipped: {}", e.toString());
        }
    }

    /** Stops the compaction; a pass under way ends first (the pool closes the file after). */
    @Override
    public void close() {
        timer.close();
    }
}
