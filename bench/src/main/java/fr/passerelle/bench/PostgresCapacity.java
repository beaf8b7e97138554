package fr.passerelle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import fr.passerelle.flow.Database;
import fr.passerelle.flow.DatabaseTraffic;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.intake.Submission;

/**
 * What one PostgreSQL (embedded, durable: fsync, synchronous_commit and full_page_writes forced
 * on) carries on this machine: N clients run the gateway's own FlowStore calls for an invoice
 * (receive: the flow unless its content is recorded, and its event, commit; then the verdict: the move
 * RECEIVED → VALIDATED, its event and its report, commit) as fast as they can, on the real schema
 * (the project's Flyway migrations). The clients are spread over several FlowStores, as over
 * gateway nodes: each node commits its own callers' writes together, as a gateway does, so the
 * round trips measured here are of the same shape as the gateway's. The data source counts the
 * statements, round trips and commits; the window's counts divided by its length are the rates.
 */
final class PostgresCapacity {

    /** zonky's builder sets synchronous_commit=off and starts postgres with -F (fsync=off): put back. */
    private static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on",
            "full_page_writes", "on");
    private static final List<String> SHOWN = List.of("fsync", "synchronous_commit", "full_page_writes",
            "wal_sync_method", "wal_level", "shared_buffers", "max_connections");
    private static final List<String> COMMUNES = List.of("aubeval", "belcourt", "dormeval", "fontbrune");

    private PostgresCapacity() {
    }

    /** An embedded PostgreSQL as durable as a production one. */
    static EmbeddedPostgres.Builder durable() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        DURABLE.forEach(builder::setServerConfig);
        return builder;
    }

    static Map<String, Object> measure(int clients, int clientsPerNode, int reportBytes, int warmup, int seconds)
            throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = durable().start();
             Database database = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                     clients + 1)) { // one more: the statistics are read while the clients run
            DataSource raw = database.dataSource();
            report.put("version", single(raw, "SHOW server_version"));
            Map<String, String> settings = new LinkedHashMap<>();
            for (String name : SHOWN) {
                settings.put(name, single(raw, "SHOW " + name));
            }
            report.put("settings", settings);
            Path dataDir = Path.of(single(raw, "SHOW data_directory"));
            report.put("dataDirectoryFileSystem", Files.getFileStore(dataDir).type());
            report.put("durable", "on".equals(settings.get("fsync")) && "on".equals(settings.get("synchronous_commit"))
                    && "on".equals(settings.get("full_page_writes")));
            report.put("schema", "the project's Flyway migrations (classpath:db/migration), as fr.passerelle.flow.Database.open");
            report.put("clients", clients);
            report.put("clientsPerNode", clientsPerNode);
            report.put("reportBytes", reportBytes);
            report.put("mix", "per unit, with fr.passerelle.flow.FlowStore's own methods: receive(new invoice flow) = "
                    + "INSERT flow unless its dedup_key is recorded, INSERT flow_event, COMMIT; then recordValidation"
                    + "(RECEIVED -> VALIDATED, a report of reportBytes) = UPDATE flow by id and status, INSERT "
                    + "flow_event, INSERT validation_report, COMMIT; the writes of one node's clients that come "
                    + "together are committed together (one JDBC batch per statement, one commit)");

            // the database's own counting (datasource-proxy, as in the gateway's metrics)
            DatabaseTraffic counted = database.traffic();
            String reportJson = "{\"report\":\"" + "x".repeat(Math.max(0, reportBytes - 13)) + "\"}";
            LongAdder units = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> workers = new ArrayList<>();
            FlowStore store = null;
            for (int c = 0; c < clients; c++) {
                if (c % clientsPerNode == 0) {
                    store = new FlowStore(raw, Clock.systemUTC()); // a node
                }
                FlowStore node = store;
                workers.add(pool.submit(() -> {
                    while (running.get()) {
                        invoice(node, reportJson);
                        units.increment();
                    }
                    return null;
                }));
            }
            try {
                Thread.sleep(warmup * 1000L);
                long[] before = snapshot(counted);
                long unitsBefore = units.sum();
                Map<String, Long> statsBefore = serverStats(raw);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long[] after = snapshot(counted);
                long unitsAfter = units.sum();
                double elapsed = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> statsAfter = serverStats(raw);
                running.set(false);
                for (Future<?> w : workers) {
                    w.get();
                }
                long n = unitsAfter - unitsBefore;
                long statements = after[0] - before[0];
                long roundTrips = after[1] - before[1];
                long commits = after[2] - before[2];
                Map<String, Object> perUnit = new LinkedHashMap<>();
                perUnit.put("statements", ratio(statements, n));
                perUnit.put("roundTrips", ratio(roundTrips, n));
                perUnit.put("commits", ratio(commits, n));
                report.put("perUnit", perUnit);
                report.put("measuredSeconds", SharedNodes.round(elapsed, 2));
                report.put("units", n);
                report.put("unitsPerSecond", SharedNodes.round(n / elapsed, 1));
                report.put("statementsPerSecond", SharedNodes.round(statements / elapsed, 1));
                report.put("roundTripsPerSecond", SharedNodes.round(roundTrips / elapsed, 1));
                report.put("commitsPerSecond", SharedNodes.round(commits / elapsed, 1));
                // the server's own view (its statistics lag by up to half a second at both ends)
                long walSyncs = statsAfter.get("walSync") - statsBefore.get("walSync");
                report.put("walSyncsPerSecond", SharedNodes.round(walSyncs / elapsed, 1));
                report.put("commitsPerWalSync", walSyncs == 0 ? null : SharedNodes.round((double) commits / walSyncs, 2));
                // the server's transactions per unit: the two written ones, shared by the units committed together
                long transactions = statsAfter.get("xactCommit") - statsBefore.get("xactCommit");
                report.put("serverTransactionsPerUnit", ratio(transactions, n));
            } finally {
                running.set(false);
                pool.shutdownNow();
            }
        }
        return report;
    }

    private static long[] snapshot(DatabaseTraffic traffic) {
        return new long[] {traffic.statements(), traffic.roundTrips(), traffic.commits()};
    }

    /** One invoice's flow work, as intake and the end of validation do it. */
    private static void invoice(FlowStore store, String reportJson) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        String commune = COMMUNES.get(random.nextInt(COMMUNES.size()));
        long n = random.nextLong(1_000_000_000L);
        FlowStore.Received received = store.receive(new FlowStore.NewFlow(commune, HexFormat.of().formatHex(sha),
                "facture-" + n + ".xml", "UBL_INVOICE", Submission.HTTP, "api:" + commune, 15_000,
                FlowStatus.RECEIVED, null, "reçu par http de api:" + commune + " : UBL 2.1 Invoice"));
        if (!store.recordValidation(received.flow().id(), FlowStatus.VALIDATED, null,
                "facture EN16931 (UBL 2.1 Invoice)", "COMPLETED", "EN16931", null, reportJson)) {
            throw new IllegalStateException("flow " + received.flow().id() + " was not RECEIVED");
        }
    }

    private static String single(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Long> serverStats(DataSource ds) throws SQLException {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("walSync", Long.parseLong(single(ds, "SELECT wal_sync FROM pg_stat_wal")));
        stats.put("xactCommit", Long.parseLong(single(ds,
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")));
        return stats;
    }

    private static Double ratio(long a, long b) {
        return b == 0 ? null : SharedNodes.round((double) a / b, 2);
    }
}
