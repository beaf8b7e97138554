package fr.passerelle.flow;

import java.nio.file.Path;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.flywaydb.core.Flyway;

/**
 * The flow database: an H2 file under the data folder by default, PostgreSQL when
 * passerelle.db.url says so. The same Flyway migrations run on both at start-up.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DatabaseTraffic traffic = new DatabaseTraffic();
    private final DataSource counted;
    private H2FileCompaction compaction;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.counted = ProxyDataSourceBuilder.create("passerelle", dataSource).listener(traffic).methodListener(traffic)
                .build();
    }

    public static Database open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("passerelle-db");
        config.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /**
     * The embedded default: an H2 database file inside the data folder, every commit written to the
     * file before it returns (WRITE_DELAY=0: a killed process loses no commit the gateway acted on;
     * README "Crash safety"). RETENTION_TIME=0 lets H2 reuse the space of old versions at once:
     * without it every commit appends a new chunk and the file grows by gigabytes a day. H2 does not
     * fsync each commit: a power cut or a kernel crash may still lose the last ones (PostgreSQL,
     * with its default synchronous_commit, does not).
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("passerelle")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME=0";
    }

    /** The pool, its statements, round trips and commits counted ({@link #traffic()}). */
    public DataSource dataSource() {
        return counted;
    }

    /** Keeps an embedded H2 file compact while it is open ({@link H2FileCompaction}); nothing on PostgreSQL. */
    public void compactH2File(H2FileCompaction.Options options) throws SQLException {
        compaction = H2FileCompaction.startIfH2File(dataSource, options);
    }

    public DatabaseTraffic traffic() {
        return traffic;
    }

    public String product() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql") ? "postgresql" : "h2";
    }

    @Override
    public void close() {
        if (compaction != null) {
            compaction.close();
        }
        dataSource.close();
    }
}
