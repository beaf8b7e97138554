package fr.passerelle.chorus;

import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.flow.Database;
import fr.passerelle.flow.FlowStore;

/** The Chorus Pro ledger on H2, as the gateway runs it by default (PostgreSQL: FlowStorePostgresTest). */
class ChorusLedgerTest implements ChorusLedgerContract {

    @TempDir
    static Path dir;
    private static Database database;
    private static FlowStore store;

    @BeforeAll
    static void open() {
        database = Database.open(Database.h2Url(dir), "sa", "", 5);
        store = new FlowStore(database.dataSource(), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    public FlowStore store() {
        return store;
    }

    @Override
    public DataSource chorusDataSource() {
        return database.dataSource();
    }
}
