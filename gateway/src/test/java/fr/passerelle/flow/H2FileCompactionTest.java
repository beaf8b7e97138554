package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file under the gateway's write pattern: every commit written at once (WRITE_DELAY=0),
 * rows touched all over an index, so that old chunks keep a page or two alive each.
 */
class H2FileCompactionTest {

    private static final H2FileCompaction.Options EVERY_20_MS = new H2FileCompaction.Options(Duration.ofMillis(20),
            60, 2 << 20);

    @TempDir
    Path data;

    @Test
    void chunksLeftMostlyDeadByManySmallCommitsAreRewrittenFullAndTheRowsSurviveAReopen() throws Exception {
        List<String> before;
        try (Database database = Database.open(Database.h2Url(data), "sa", "", 2)) {
            DataSource db = database.dataSource();
            scatterCommits(db, 1_500);
            before = rows(db);
            // what H2 left alone: most chunks' bytes dead, the chunks kept for the page or two still live
            assertThat(chunksFillRate(db)).isLessThan(40);

            database.compactH2File(EVERY_20_MS);

            await().atMost(Duration.ofSeconds(60)).until(() -> chunksFillRate(db) >= 60);
            // and once there, a quiet database is left alone: nothing more written, period after period
            long[] lastSeen = {-1};
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long writes = fileWrites(db);
                boolean unchanged = writes == lastSeen[0];
                lastSeen[0] = writes;
                return unchanged;
            });
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> fileWrites(db) == lastSeen[0]);
        }
        try (Database reopened = Database.open(Database.h2Url(data), "sa", "", 2)) {
            assertThat(rows(reopened.dataSource())).hasSize(2_000).isEqualTo(before);
        }
    }

    @Test
    void aDatabaseInMemoryHasNoFileToCompact() throws Exception {
        JdbcDataSource memory = new JdbcDataSource();
        memory.setURL("jdbc:h2:mem:compaction;DB_CLOSE_DELAY=0");
        try (Connection keepOpen = memory.getConnection()) {
            assertThat(H2FileCompaction.startIfH2File(memory, EVERY_20_MS)).isNull();
        }
    }

    /**
     * 2,000 rows under random keys in one commit, then one commit after another each rewriting one
     * of them (a random leaf of the index) and a large hot row (dead at the next commit).
     */
    private static void scatterCommits(DataSource db, int commits) throws Exception {
        Random random = new Random(42);
        try (Connection c = db.getConnection(); Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE cold (id VARCHAR(36) PRIMARY KEY, note VARCHAR(200) NOT NULL)");
            ddl.execute("CREATE TABLE hot (id INT PRIMARY KEY, payload VARCHAR(100000) NOT NULL)");
            ddl.execute("INSERT INTO hot VALUES (1, '')");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO cold VALUES (?, ?)")) {
                for (int i = 0; i < 2_000; i++) {
                    insert.setString(1, key(i));
                    insert.setString(2, "note " + i + " ".repeat(150));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            try (PreparedStatement touch = c.prepareStatement("UPDATE cold SET note = ? WHERE id = ?");
                 PreparedStatement heat = c.prepareStatement("UPDATE hot SET payload = ? WHERE id = 1")) {
                for (int n = 0; n < commits; n++) {
                    int i = random.nextInt(2_000);
                    touch.setString(1, "note " + i + " ".repeat(150));
                    touch.setString(2, key(i));
                    touch.executeUpdate();
                    heat.setString(1, Integer.toString(n).repeat(40_000 / (1 + Integer.toString(n).length())));
                    heat.executeUpdate();
                    c.commit();
                }
            }
        }
    }

    private static String key(int i) {
        // spread over the index like random UUIDs, yet reproducible
        return Integer.toHexString(Integer.reverse(i) ^ 0x5bd1e995) + "-" + i;
    }

    private static List<String> rows(DataSource db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM cold ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        return rows;
    }

    private static int chunksFillRate(DataSource db) throws Exception {
        return Integer.parseInt(storeInfo(db, "info.CHUNKS_FILL_RATE"));
    }

    private static long fileWrites(DataSource db) throws Exception {
        return Long.parseLong(storeInfo(db, "info.FILE_WRITE"));
    }

    /** What H2 tells of its file (INFORMATION_SCHEMA.SETTINGS). */
    private static String storeInfo(DataSource db, String name) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
