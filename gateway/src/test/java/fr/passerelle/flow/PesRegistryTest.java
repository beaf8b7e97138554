package fr.passerelle.flow;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The PES registry on the embedded default: an H2 file database, migrated by Flyway. */
class PesRegistryTest implements PesRegistryContract {

    @TempDir
    static Path data;
    private static Database database;
    private static FlowStore store;
    private static PesRegistry registry;

    @BeforeAll
    static void open() {
        database = Database.open(Database.h2Url(data), "sa", "", 10);
        store = new FlowStore(database.dataSource(), Clock.systemUTC());
        registry = new PesRegistry(database.dataSource(), store);
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
    public PesRegistry registry() {
        return registry;
    }
}
