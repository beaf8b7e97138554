package fr.passerelle.flow;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The flow store on the embedded default: an H2 file database, migrated by Flyway. */
class FlowStoreH2Test extends FlowStoreContract {

    @TempDir
    static Path data;
    private static Database database;
    private static FlowStore store;

    @BeforeAll
    static void open() {
        database = Database.open(Database.h2Url(data), "sa", "", 10);
        store = new FlowStore(database.dataSource(), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    protected javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    @Override
    protected FlowStore store() {
        return store;
    }
}
