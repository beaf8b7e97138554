package fr.passerelle.flow;

import java.io.IOException;
import java.time.Clock;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The flow store on a real PostgreSQL server (embedded binaries from Maven), same migrations; the
 * PES registry's and the Chorus Pro ledger's contracts run on the same server (one server start for all).
 */
class FlowStorePostgresTest extends FlowStoreContract implements PesRegistryContract,
        fr.passerelle.chorus.ChorusLedgerContract {

    private static EmbeddedPostgres postgres;
    private static Database database;
    private static FlowStore store;
    private static PesRegistry registry;

    @BeforeAll
    static void open() throws IOException {
        postgres = EmbeddedPostgres.start();
        database = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 10);
        store = new FlowStore(database.dataSource(), Clock.systemUTC());
        registry = new PesRegistry(database.dataSource(), store);
    }

    @AfterAll
    static void close() throws IOException {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    @Override
    public FlowStore store() {
        return store;
    }

    @Override
    public javax.sql.DataSource chorusDataSource() {
        return database.dataSource();
    }

    @Override
    public PesRegistry registry() {
        return registry;
    }
}
