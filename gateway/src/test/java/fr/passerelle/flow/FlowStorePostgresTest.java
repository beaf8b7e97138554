package fr.passerelle.flow;

import java.io.IOException;
import java.time.Clock;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The flow store on a real PostgreSQL server (embedded binaries from Maven), same migrations. */
class FlowStorePostgresTest extends FlowStoreContract {

    private static EmbeddedPostgres postgres;
    private static Database database;
    private static FlowStore store;

    @BeforeAll
    static void open() throws IOException {
        postgres = EmbeddedPostgres.start();
        database = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 10);
        store = new FlowStore(database.dataSource(), Clock.systemUTC());
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
    protected FlowStore store() {
        return store;
    }
}
