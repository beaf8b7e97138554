package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that arrive while a group is being committed wait and are committed together; each
 * caller is answered for its own write, and one failing write fails alone.
 */
class GroupCommitTest {

    @TempDir
    Path data;
    private Database database;
    private final ExecutorService callers = Executors.newFixedThreadPool(4);
    /** Holds the first group inside its transaction until the others are waiting. */
    private final CountDownLatch firstGroupMayCommit = new CountDownLatch(1);
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();
    /** When set, the database cannot be reached (a new connection fails). */
    private final java.util.concurrent.atomic.AtomicBoolean unreachable = new java.util.concurrent.atomic.AtomicBoolean();
    private GroupCommit<String, String> commits;

    @BeforeEach
    void open() throws SQLException {
        database = Database.open(Database.h2Url(data), "sa", "", 4);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE written (k VARCHAR(20) PRIMARY KEY)");
        }
        javax.sql.DataSource reachable = database.dataSource();
        javax.sql.DataSource sometimes = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && unreachable.get()) {
                        throw new SQLException("Connection is not available, request timed out", "08001");
                    }
                    return method.invoke(reachable, args);
                });
        commits = new GroupCommit<>(sometimes, 64, Duration.ZERO, this::write);
    }

    /** The writer under test: records each group, holds the first until the test lets it commit. */
    private List<String> write(Connection c, List<String> group) throws SQLException {
        groups.add(group);
        if (group.contains("error")) {
            throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }
        if (groups.size() == 1) {
            try {
                firstGroupMayCommit.await();
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO written (k) VALUES (?)")) {
            for (String k : group) {
                insert.setString(1, k);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return group.stream().map(k -> "written " + k).toList();
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        database.close();
    }

    @Test
    void writesThatComeWhileAGroupIsCommittedAreCommittedTogetherAndEachCallerIsAnswered() throws Exception {
        Future<String> first = firstGroupHeldWith("a");
        List<Future<String>> next = waitingBehindIt("b", "c", "d");
        firstGroupMayCommit.countDown();

        assertThat(first.get()).isEqualTo("written a");
        assertThat(next.get(0).get()).isEqualTo("written b");
        assertThat(next.get(2).get()).isEqualTo("written d");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(1)).containsExactlyInAnyOrder("b", "c", "d");
        assertThat(rows()).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void aWriteThatFailsItsGroupFailsAloneAndTheOthersAreCommitted() throws Exception {
        Future<String> first = firstGroupHeldWith("dup");
        List<Future<String>> next = waitingBehindIt("dup", "other");
        Future<String> duplicate = next.get(0);
        Future<String> other = next.get(1);
        firstGroupMayCommit.countDown();

        assertThat(first.get()).isEqualTo("written dup");
        assertThat(other.get()).isEqualTo("written other");
        assertThatThrownBy(duplicate::get).hasCauseInstanceOf(SQLException.class);
        // the group of two failed on the duplicate, then each was written alone
        assertThat(groups).hasSize(4);
        assertThat(rows()).containsExactlyInAnyOrder("dup", "other");
    }

    @Test
    void whenTheDatabaseCannotBeReachedEveryCallerOfTheGroupIsAnsweredAtOnceNotOneByOne() throws Exception {
        Future<String> first = firstGroupHeldWith("a");
        List<Future<String>> next = waitingBehindIt("b", "c");
        Future<String> b = next.get(0);
        Future<String> c = next.get(1);
        unreachable.set(true);
        firstGroupMayCommit.countDown();

        assertThat(first.get()).isEqualTo("written a");
        assertThatThrownBy(b::get).hasCauseInstanceOf(SQLException.class).hasMessageContaining("not available");
        assertThatThrownBy(c::get).hasCauseInstanceOf(SQLException.class).hasMessageContaining("not available");
        assertThat(groups).hasSize(1); // no connection: the writer never ran again, nor once per write
        unreachable.set(false);
        assertThat(rows()).containsExactly("a");
    }

    @Test
    void anErrorInAGroupAnswersItsCallersAndTheNextWritesGoOn() throws Exception {
        Future<String> first = firstGroupHeldWith("a");
        List<Future<String>> next = waitingBehindIt("error", "other");
        Future<String> error = next.get(0);
        Future<String> other = next.get(1);
        firstGroupMayCommit.countDown();

        assertThat(first.get()).isEqualTo("written a");
        assertThatThrownBy(error::get).hasCauseInstanceOf(SQLException.class).hasMessageContaining("OutOfMemoryError");
        assertThatThrownBy(other::get).hasCauseInstanceOf(SQLException.class).hasMessageContaining("OutOfMemoryError");
        assertThat(callers.submit(() -> commits.write("later")).get()).isEqualTo("written later");
        assertThat(rows()).containsExactlyInAnyOrder("a", "later");
    }

    @Test
    void aWriteAloneIsCommittedAtOnce() throws Exception {
        firstGroupMayCommit.countDown();
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return commits.write("alone");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, callers).get()).isEqualTo("written alone");
        assertThat(rows()).containsExactly("alone");
    }

    @Test
    void onceWritesComeTogetherTheNextOneLingersForOthersToShareItsCommit() throws Exception {
        // a linger far longer than the test: only a full group (3) ends it early
        commits = new GroupCommit<>(database.dataSource(), 3, Duration.ofMinutes(10), this::write);
        bAndCCameTogether();

        // b and c came together: the first of the next writes waits for the others, one commit for three
        List<Future<String>> close = new ArrayList<>();
        for (String k : List.of("d", "e", "f")) {
            close.add(callers.submit(() -> commits.write(k)));
        }
        for (Future<String> f : close) {
            assertThat(f.get(30, TimeUnit.SECONDS)).startsWith("written ");
        }
        assertThat(groups).hasSize(3);
        assertThat(groups.get(1)).containsExactlyInAnyOrder("b", "c");
        assertThat(groups.get(2)).containsExactlyInAnyOrder("d", "e", "f");
        assertThat(rows()).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
    }

    @Test
    void oneCallerWritingOneAfterAnotherNeverLingers() throws Exception {
        firstGroupMayCommit.countDown();
        commits = new GroupCommit<>(database.dataSource(), 3, Duration.ofMinutes(10), this::write);
        // close together, but never two at once: a linger would hold each write 10 minutes
        for (String k : List.of("x", "y", "z")) {
            assertThat(callers.submit(() -> commits.write(k)).get(30, TimeUnit.SECONDS)).isEqualTo("written " + k);
        }
        assertThat(groups).containsExactly(List.of("x"), List.of("y"), List.of("z"));
        assertThat(commits.lingers()).isZero();
    }

    @Test
    void whenOthersStopComingALoneCallerLingersOnlyAFewTimesMore() throws Exception {
        commits = new GroupCommit<>(database.dataSource(), 3, Duration.ofMillis(500), this::write);
        bAndCCameTogether();

        // b and c came together; now one caller alone: it lingers for nobody a few times, then no more
        for (int i = 0; i < GroupCommit.UNJOINED + 3; i++) {
            String k = "alone" + i;
            assertThat(callers.submit(() -> commits.write(k)).get(30, TimeUnit.SECONDS)).isEqualTo("written " + k);
        }
        assertThat(commits.lingers()).isEqualTo(GroupCommit.UNJOINED);
    }

    /** "a" committed alone (held while b and c came), then b and c in one group. */
    private void bAndCCameTogether() throws Exception {
        Future<String> first = firstGroupHeldWith("a");
        List<Future<String>> next = waitingBehindIt("b", "c");
        firstGroupMayCommit.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("written a");
        for (Future<String> f : next) {
            assertThat(f.get(30, TimeUnit.SECONDS)).startsWith("written ");
        }
        assertThat(groups.get(1)).containsExactlyInAnyOrder("b", "c");
    }

    /** A first write, held inside its transaction until the test lets it commit. */
    private Future<String> firstGroupHeldWith(String key) {
        Future<String> first = callers.submit(() -> commits.write(key));
        await().atMost(Duration.ofSeconds(30)).until(() -> groups.size() == 1);
        return first;
    }

    /** Writes that come while the first group is held: they wait, to be written as the next group. */
    private List<Future<String>> waitingBehindIt(String... keys) {
        List<Future<String>> next = new ArrayList<>();
        for (String k : keys) {
            next.add(callers.submit(() -> commits.write(k)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> commits.waiting() == keys.length);
        return next;
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT k FROM written")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
