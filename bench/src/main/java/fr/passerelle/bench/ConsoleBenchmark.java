package fr.passerelle.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import fr.passerelle.chorus.ChorusLedger;
import fr.passerelle.console.ConsoleAccounts;
import fr.passerelle.console.ConsoleSessions;
import fr.passerelle.console.DashboardPage;
import fr.passerelle.flow.Database;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.signature.CommuneKeyStore;
import fr.passerelle.treasury.TransmissionStore;
import fr.passerelle.treasury.TreasuryWatch;

/**
 * {@code bench console [--flows N] [--renders R]}: the console's dashboard over a store of N flows
 * (default 100,000: 19 communes, every status, received over 30 days), rendered R times by an
 * operator's session (every commune) after a warm-up; the time of each render, as the server
 * spends it (the queries and the page), median and p95. JSON in target/bench-console.json.
 */
final class ConsoleBenchmark {

    private static final int COMMUNES = 19;

    private ConsoleBenchmark() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        int flows;
        int renders;
        try {
            BenchOptions options = BenchOptions.parse(args, "bench console [--flows N] [--renders R]",
                    Set.of("--flows", "--renders"));
            flows = options.positive("--flows", 100_000);
            renders = options.positive("--renders", 50);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path dir = Files.createTempDirectory("bench-console");
        try (Database database = Database.open(Database.h2Url(dir), "sa", "", 4)) {
            long fill = System.nanoTime();
            insert(database, flows);
            long fillMs = (System.nanoTime() - fill) / 1_000_000;
            Clock clock = Clock.systemUTC();
            FlowStore store = new FlowStore(database.dataSource(), clock);
            FlowRecovery recovery = new FlowRecovery(database.dataSource(), store, clock,
                    new FlowRecovery.Timing(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(30)));
            TreasuryWatch treasury = new TreasuryWatch(new TransmissionStore(database.dataSource(), store, clock),
                    Duration.ofHours(48), new SimpleMeterRegistry());
            CertificateWatch certificates = new CertificateWatch(List.of(), dir.resolve("keys"), new CommuneKeyStore(),
                    Duration.ofDays(30), clock);
            ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), clock);
            accounts.create("bench", "bench-console-password", ConsoleAccounts.Role.OPERATOR, null);
            ConsoleSessions sessions = new ConsoleSessions(database.dataSource(), accounts, clock);
            String cookie = sessions.open(accounts.find("bench").orElseThrow()).cookie();
            DashboardPage page = new DashboardPage(database.dataSource(), store, recovery, treasury, certificates,
                    new ChorusLedger(database.dataSource(), clock), sessions, clock, Map::of);
            DefaultCamelContext camel = new DefaultCamelContext();
            int bytes = 0;
            for (int i = 0; i < Math.max(10, renders / 5); i++) {
                bytes = render(page, camel, cookie); // warm-up: the JIT, H2's caches
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < renders; i++) {
                long t = System.nanoTime();
                render(page, camel, cookie);
                ms.add((System.nanoTime() - t) / 1e6);
            }
            Collections.sort(ms);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "console dashboard (GET /console) of an operator over a store of flows, server side");
            report.put("database", "embedded H2, as the gateway's default");
            report.put("flows", flows);
            report.put("communes", COMMUNES);
            report.put("fillMs", fillMs);
            report.put("renders", renders);
            report.put("pageBytes", bytes);
            report.put("medianMs", round(ms.get(ms.size() / 2)));
            report.put("p95Ms", round(ms.get((int) Math.ceil(ms.size() * 0.95) - 1)));
            report.put("maxMs", round(ms.get(ms.size() - 1)));
            BenchReport.write("console", report, out);
            camel.close();
        }
        return 0;
    }

    private static int render(DashboardPage page, DefaultCamelContext camel, String cookie) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("Cookie", "passerelle_console=" + cookie);
        page.page(exchange);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status != 200) {
            throw new IllegalStateException("the dashboard answered " + status);
        }
        return exchange.getMessage().getBody(byte[].class).length;
    }

    /** N flows over 30 days, every status, one commune in 19 each: one batch per 5,000. */
    private static void insert(Database database, int n) throws Exception {
        Random random = new Random(42);
        FlowStatus[] statuses = FlowStatus.values();
        Instant now = Instant.now();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO flow (id, commune_id, sha256, file_name, format, "
                     + "channel, sender, size_bytes, status, received_at, updated_at, dedup_key) "
                     + "VALUES (?, ?, ?, ?, 'UBL_INVOICE', 'http', ?, 20000, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                String commune = "commune-" + (i % COMMUNES);
                Timestamp received = Timestamp.from(now.minusSeconds(random.nextInt(30 * 24 * 3600)));
                insert.setString(1, id);
                insert.setString(2, commune);
                insert.setString(3, String.format("%064x", i));
                insert.setString(4, "facture-" + i + ".xml");
                insert.setString(5, commune);
                insert.setString(6, statuses[random.nextInt(statuses.length)].name());
                insert.setTimestamp(7, received);
                insert.setTimestamp(8, received);
                insert.setString(9, commune + ":" + i);
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                    c.commit();
                }
            }
            insert.executeBatch();
            c.commit();
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
