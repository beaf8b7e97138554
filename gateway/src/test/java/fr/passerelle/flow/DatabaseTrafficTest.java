package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the gateway asks of its database, counted as a shared database would see it. */
class DatabaseTrafficTest {

    @TempDir
    Path data;

    private Database database;

    @BeforeEach
    void open() {
        database = Database.open(Database.h2Url(data), "sa", "", 2);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aBatchIsOneRoundTripAndEachCommitAnotherCountedForTheThreadThatMadeThem() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE note (id INT PRIMARY KEY)");
        }
        DatabaseTraffic traffic = database.traffic();
        long roundTrips = traffic.roundTrips();
        long statements = traffic.statements();
        long commits = traffic.commits();

        Thread writer = new Thread(() -> {
            try (Connection c = database.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO note (id) VALUES (?)")) {
                    for (int i = 0; i < 3; i++) {
                        insert.setInt(1, i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "note-writer");
        writer.start();
        writer.join();

        assertThat(traffic.statements() - statements).isEqualTo(3);
        assertThat(traffic.roundTrips() - roundTrips).isEqualTo(2);
        assertThat(traffic.commits() - commits).isEqualTo(1);
        assertThat(traffic.roundTripsByThread()).containsEntry("note-writer", 2L);
    }
}
