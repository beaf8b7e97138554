package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

/**
 * Writes that arrive together are committed together: each caller still returns only once its own
 * write is committed (crash safety is unchanged), but one transaction, one JDBC batch per statement
 * and one durable commit serve every caller that came while the previous group was being written.
 * No caller waits for a timer: the first caller to find no group being written writes the waiting
 * ones (itself included); the others wait for it. A group that fails is written again one write per
 * transaction, so that one bad write fails alone.
 *
 * @param <W> one caller's write
 * @param <R> what that caller is answered once committed
 */
final class GroupCommit<W, R> {

    /** Writes a group in the transaction given, answering each write's result in the group's order. */
    @FunctionalInterface
    interface Writer<W, R> {
        List<R> write(Connection c, List<W> group) throws SQLException;
    }

    private final DataSource dataSource;
    private final Writer<W, R> writer;
    private final int maxGroup;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private List<Pending<W, R>> waiting = new ArrayList<>();
    private boolean writing;

    GroupCommit(DataSource dataSource, int maxGroup, Writer<W, R> writer) {
        this.dataSource = dataSource;
        this.maxGroup = maxGroup;
        this.writer = writer;
    }

    private static final class Pending<W, R> {
        final W write;
        R result;
        SQLException failure;
        boolean done;

        Pending(W write) {
            this.write = write;
        }
    }

    /** Writes and commits, with whatever else is waiting; answers once committed, or throws the write's own failure. */
    R write(W write) throws SQLException {
        Pending<W, R> mine = new Pending<>(write);
        lock.lock();
        try {
            waiting.add(mine);
            while (!mine.done) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                List<Pending<W, R>> group = take();
                lock.unlock();
                try {
                    commit(group);
                } finally {
                    lock.lock();
                    writing = false;
                    written.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Writes waiting for the group being written (for tests that set a group up). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest waiting writes, at most maxGroup of them (called with the lock held). */
    private List<Pending<W, R>> take() {
        if (waiting.size() <= maxGroup) {
            List<Pending<W, R>> group = waiting;
            waiting = new ArrayList<>();
            return group;
        }
        List<Pending<W, R>> group = new ArrayList<>(waiting.subList(0, maxGroup));
        waiting = new ArrayList<>(waiting.subList(maxGroup, waiting.size()));
        return group;
    }

    private void commit(List<Pending<W, R>> group) {
        try {
            List<R> results = inTransaction(group.stream().map(p -> p.write).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result = results.get(i);
            }
        } catch (SQLException | RuntimeException groupFailed) {
            if (group.size() == 1) {
                group.get(0).failure = asSql(groupFailed);
            } else {
                // one write may have failed them all (a duplicate key, a value too long): each alone
                for (Pending<W, R> p : group) {
                    try {
                        p.result = inTransaction(List.of(p.write)).get(0);
                    } catch (SQLException | RuntimeException e) {
                        p.failure = asSql(e);
                    }
                }
            }
        }
        for (Pending<W, R> p : group) {
            p.done = true;
        }
    }

    private List<R> inTransaction(List<W> writes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<R> results = writer.write(c, writes);
                c.commit();
                return results;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static SQLException asSql(Exception e) {
        return e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
    }
}
