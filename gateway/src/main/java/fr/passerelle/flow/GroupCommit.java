package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

/**
 * Writes that arrive together are committed together: each caller still returns only once its own
 * write is committed (crash safety is unchanged), but one transaction, one JDBC batch per statement
 * and one durable commit serve every caller that came while the previous group was being written.
 * The first caller to find no group being written writes the waiting ones (itself included); the
 * others wait for it. Under load that caller first lingers, at most the linger given, for others to
 * join: a durable commit then serves several writes instead of one (fewer commits and round trips
 * for a shared database, less CPU for H2's page writes), at the cost of that much latency. Under
 * load means: writes come close together (the previous one arrived less than {@link #BUSY} lingers
 * before) and from several callers at once (a group held more than one write since the last
 * {@link #UNJOINED} lingers nobody joined). So a quiet gateway never lingers, and one client
 * writing one file after another, however fast, at most that many times after others stopped. A
 * group that fails is written again one write per transaction, so that one bad write fails alone.
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
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    /** Signalled when the group a caller lingers for is full. */
    private final Condition full = lock.newCondition();
    private List<Pending<W, R>> waiting = new ArrayList<>();
    private boolean writing;
    /** System.nanoTime() of the latest write's arrival (under the lock). */
    private long lastArrival;
    /**
     * Lingers nobody joined since writes last came together (a group of several); from UNJOINED on,
     * none. It starts there: no linger before a first group of several.
     */
    private int unjoined = UNJOINED;
    /** Lingers that ended early (a full group) or late (its time over), for tests. */
    private int lingers;

    /** Writes come close together when the previous one arrived less than this many lingers before. */
    static final int BUSY = 4;
    /** Lingers in a row that nobody joined after which none is tried until writes come together again. */
    static final int UNJOINED = 4;

    /** linger {@link Duration#ZERO}: never; each group is what arrived while the previous one was written. */
    GroupCommit(DataSource dataSource, int maxGroup, Duration linger, Writer<W, R> writer) {
        this.dataSource = dataSource;
        this.maxGroup = maxGroup;
        this.lingerNanos = linger.toNanos();
        this.writer = writer;
    }

    private static final class Pending<W, R> {
        final W write;
        R result;
        SQLException failure;
        /** Result or failure set (a result may be null). */
        boolean answered;
        /** Set under the lock once answered: what the caller waits for. */
        boolean done;

        Pending(W write) {
            this.write = write;
        }

        void answer(R r) {
            result = r;
            answered = true;
        }

        void fail(SQLException e) {
            failure = e;
            answered = true;
        }
    }

    /** The group's own statements failed and were rolled back: each write may be tried alone. */
    private static final class StatementsFailed extends Exception {
        StatementsFailed(Exception cause) {
            super(cause);
        }

        SQLException sql() {
            return asSql((Exception) getCause());
        }
    }

    /** Writes and commits, with whatever else is waiting; answers once committed, or throws the write's own failure. */
    R write(W write) throws SQLException {
        Pending<W, R> mine = new Pending<>(write);
        boolean interrupted = false;
        lock.lock();
        try {
            long now = System.nanoTime();
            boolean busy = now - lastArrival < BUSY * lingerNanos;
            lastArrival = now;
            waiting.add(mine);
            if (waiting.size() >= maxGroup) {
                full.signal();
            }
            while (!mine.done) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                if (busy && unjoined < UNJOINED) {
                    interrupted = linger();
                    unjoined++;
                }
                List<Pending<W, R>> group = take();
                if (group.size() > 1) { // writes came together (during the linger or before it)
                    unjoined = 0;
                }
                lock.unlock();
                try {
                    commit(group);
                } catch (Throwable unexpected) { // an Error: every caller of the group is answered all the same
                    SQLException failure = new SQLException("group of writes not committed: " + unexpected, unexpected);
                    group.stream().filter(p -> !p.answered).forEach(p -> p.fail(failure));
                } finally {
                    lock.lock();
                    // answers are handed over under the lock: a caller that sees done sees its answer
                    group.forEach(p -> p.done = true);
                    writing = false;
                    written.signalAll();
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /**
     * Waits (lock held, released while waiting) until the group is full or the linger is over; true
     * if interrupted meanwhile (the group is then written at once, and the interruption given back
     * once the caller is answered, so that it does not reach the database's file channel).
     */
    private boolean linger() {
        lingers++;
        try {
            long left = lingerNanos;
            while (waiting.size() < maxGroup && left > 0) {
                left = full.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Lingers so far (for tests). */
    int lingers() {
        lock.lock();
        try {
            return lingers;
        } finally {
            lock.unlock();
        }
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
                group.get(i).answer(results.get(i));
            }
        } catch (StatementsFailed statements) {
            if (group.size() == 1) {
                group.get(0).fail(statements.sql());
                return;
            }
            // one write may have failed them all (a duplicate key, a value too long): each alone
            SQLException unreachable = null;
            for (Pending<W, R> p : group) {
                if (unreachable != null) {
                    p.fail(unreachable);
                    continue;
                }
                try {
                    p.answer(inTransaction(List.of(p.write)).get(0));
                } catch (StatementsFailed e) {
                    p.fail(e.sql());
                } catch (SQLException | RuntimeException e) {
                    unreachable = asSql(e); // the database, not this write: the others are not tried
                    p.fail(unreachable);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // no connection, or a commit whose outcome is unknown: not tried again write by write (a
            // committed group would be written twice), every caller is answered with the failure
            SQLException failure = asSql(e);
            group.forEach(p -> p.fail(failure));
        }
    }

    /**
     * The writes in one transaction. StatementsFailed: the writer's statements failed and the
     * transaction was rolled back. Any other failure (connection, commit) leaves the outcome unknown.
     */
    private List<R> inTransaction(List<W> writes) throws SQLException, StatementsFailed {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            List<R> results;
            try {
                results = writer.write(c, writes);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw new StatementsFailed(e);
            }
            c.commit();
            return results;
        } finally {
            closeQuietly(c);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the pool discards a connection that cannot roll back
        }
    }

    /** Back to the pool in auto-commit; a failure to close (once committed) changes nothing already written. */
    private static void closeQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // the pool resets it, or discards the connection
        }
        try {
            c.close();
        } catch (SQLException e) {
            // idem
        }
    }

    private static SQLException asSql(Exception e) {
        return e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
    }
}
