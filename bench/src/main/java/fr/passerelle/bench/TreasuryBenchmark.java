package fr.passerelle.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import fr.passerelle.Gateway;
import fr.passerelle.settings.Settings;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * {@code bench treasury}: end to end, from HTTP POST of a UBL invoice to its PES flow transmitted
 * to the Hélios simulator (validated, packed as a PJ, signed, queued, uploaded and renamed), on a
 * real gateway with persistence on (embedded Artemis journal, H2 file) in a temporary folder.
 * Clients post during the measured window (after a warm-up), at a fixed offered rate or as fast
 * as they can; the gateway then drains. It counts what was transmitted inside the window,
 * latencies from intake to transmission, and checks that every invoice reached the treasury and
 * none twice.
 */
public final class TreasuryBenchmark {

    private static final List<String> COMMUNES = List.of("aubeval", "belcourt", "dormeval", "fontbrune");
    private static final Map<String, String> SIRETS = Map.of("aubeval", "21750101400013", "belcourt", "21750108900015",
            "dormeval", "21750122000016", "fontbrune", "21750136000010");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong sequence = new AtomicLong();
    private String api;
    private Map<String, String> templates;

    public static int run(List<String> args, PrintStream out) throws Exception {
        String usage = "bench treasury [--seconds N] [--warmup N] [--rate R] [--clients C] [--database h2|postgresql]";
        int seconds;
        int warmup;
        int rate;
        int clients;
        String database;
        try {
            BenchOptions o = BenchOptions.parse(args, usage, Set.of("--seconds", "--warmup", "--rate", "--clients",
                    "--database"));
            seconds = o.positive("--seconds", 300);
            warmup = o.positive("--warmup", 30);
            rate = o.positive("--rate", 200);
            clients = o.positive("--clients", 8);
            database = o.choice("--database", "h2", Set.of("h2", "postgresql"));
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (database.equals("h2")) {
            return new TreasuryBenchmark().measure(seconds, warmup, rate, clients, Map.of(), out);
        }
        // the production database, durable as PostgreSQL is by default, its processes on the same cores
        try (EmbeddedPostgres postgres = PostgresCapacity.durable().start()) {
            return new TreasuryBenchmark().measure(seconds, warmup, rate, clients, Map.of(
                    "passerelle.db.url", postgres.getJdbcUrl("postgres", "postgres"), "passerelle.db.user", "postgres",
                    "passerelle.db.password", "postgres"), out);
        }
    }

    private int measure(int seconds, int warmup, int rate, int clients, Map<String, String> database, PrintStream out)
            throws Exception {
        Path sample = Path.of("samples", "invoices", "ubl", "ubl-tc434-example1.xml");
        templates = new LinkedHashMap<>();
        for (String commune : COMMUNES) {
            templates.put(commune, invoiceTemplate(Files.readString(sample, StandardCharsets.UTF_8), SIRETS.get(commune)));
        }
        Path data = Files.createTempDirectory("passerelle-bench-treasury-");
        int httpPort = freePort();
        int simulatorPort = freePort();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("passerelle.data.dir", data.toString());
        overrides.put("camel.server.host", "127.0.0.1");
        overrides.put("camel.server.port", String.valueOf(httpPort));
        overrides.put("camel.management.port", String.valueOf(freePort()));
        overrides.put("passerelle.sftp.enabled", "false");
        // only the benchmark's invoices: no Chorus Pro simulator seeding its own, no Chorus Pro polling
        overrides.put("passerelle.chorus.enabled", "false");
        overrides.put("passerelle.chorus-simulator.enabled", "false");
        overrides.put("passerelle.broker.url", "vm://78");
        overrides.put("passerelle.simulator.ftp-port", String.valueOf(simulatorPort));
        overrides.put("passerelle.simulator.sftp-port", "-1");
        overrides.put("passerelle.treasury.endpoint.helios-simulator.port", String.valueOf(simulatorPort));
        overrides.put("passerelle.signature.demo-keys-at-start", "false");
        overrides.putAll(database);
        api = "http://127.0.0.1:" + httpPort + "/api/v1/flows";
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "treasury: HTTP POST of a UBL invoice to its PES flow transmitted to the Hélios simulator");
        report.put("invoiceBytes", templates.get("aubeval").getBytes(StandardCharsets.UTF_8).length);
        report.put("offeredRatePerSecond", rate);
        report.put("clients", clients);
        report.put("warmupSeconds", warmup);
        report.put("measuredSeconds", seconds);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("database", database.isEmpty() ? "h2 (embedded default, durable commits)"
                : "postgresql (embedded, fsync, synchronous_commit and full_page_writes on)");
        boolean ok;
        try (Gateway gateway = new Gateway(Settings.load(Path.of("config"), Map.of(), overrides))) {
            gateway.start();
            JdbcTemplate db = new JdbcTemplate(gateway.database().dataSource());
            // the database and broker work of every invoice posted, from the first to the drained last
            PipelineCosts.Traffic trafficBefore = PipelineCosts.Traffic.of(gateway);
            Map<String, Long> roundTripsBefore = gateway.database().traffic().roundTripsByThread();
            boolean h2 = database.isEmpty();
            if (h2) {
                PipelineCosts.countStatements(db);
            }
            post(clients, rate, warmup); // JIT, demo keys of the four communes, journal files
            long firstMeasured = sequence.get() + 1;
            long backlogAtStart = sequence.get() - transmittedCount(db);
            OffsetDateTime windowStart = now();
            Map<String, String> storeAtStart = h2 ? PipelineCosts.h2Store(db) : Map.of();
            StageCpu.Snapshot cpuBefore = StageCpu.take();
            long machineBefore = MachineCpu.busyMillis();
            long t0 = System.nanoTime();
            post(clients, rate, seconds);
            double postedSeconds = (System.nanoTime() - t0) / 1e9;
            OffsetDateTime windowEnd = now();
            long posted = sequence.get();
            long backlogAtEnd = posted - transmittedCount(db);
            Map<String, String> storeAtEnd = h2 ? PipelineCosts.h2Store(db) : Map.of();
            // let the pipeline drain, then count
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            long transmitted;
            do {
                Thread.sleep(1000); // polling interval of the drain check
                transmitted = transmittedCount(db);
            } while (transmitted < posted && System.nanoTime() < deadline);
            StageCpu.Snapshot cpuAfter = StageCpu.take();
            long machineBusy = MachineCpu.busyMillis() - machineBefore;
            PipelineCosts.Traffic traffic = PipelineCosts.Traffic.of(gateway).minus(trafficBefore);
            long inWindow = PipelineCosts.count(db, "SELECT COUNT(*) FROM pes_pj p JOIN transmission t ON t.flow_id = p.pes_flow_id "
                    + "WHERE t.sent_at >= ? AND t.sent_at < ?", windowStart, windowEnd);
            List<Long> latencies = db.query("SELECT f.received_at, t.sent_at FROM flow f JOIN pes_pj p "
                            + "ON p.invoice_flow_id = f.id JOIN transmission t ON t.flow_id = p.pes_flow_id "
                            + "WHERE f.received_at >= ? AND f.received_at < ? AND t.sent_at IS NOT NULL",
                    (rs, n) -> Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class))
                            .toNanos(), windowStart, windowEnd);
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            HeliosSimulator simulator = gateway.companion(HeliosSimulator.class).orElseThrow();
            Map<String, Long> perNomFic = simulator.deliveries().stream()
                    .collect(Collectors.groupingBy(d -> String.valueOf(d.nomFic()), Collectors.counting()));
            long sentTwice = perNomFic.values().stream().filter(n -> n > 1).count();
            long pesFlowsSent = PipelineCosts.count(db, "SELECT COUNT(*) FROM transmission WHERE state = 'SENT'");
            long invoicesRejected = PipelineCosts.count(db, "SELECT COUNT(*) FROM flow WHERE status IN ('REJECTED', 'FAILED')");
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("invoicesPosted", posted - firstMeasured + 1);
            window.put("postedPerSecond", round((posted - firstMeasured + 1) / postedSeconds));
            window.put("invoicesTransmittedInWindow", inWindow);
            window.put("transmittedPerSecond", round(inWindow / postedSeconds));
            // judged in the window: a smoother rate than the transmitted one, which moves by PES flows of 500
            window.put("validatedPerSecond", round(PipelineCosts.count(db, "SELECT COUNT(*) FROM validation_report "
                    + "WHERE created_at >= ? AND created_at < ?", windowStart, windowEnd) / postedSeconds));
            // posted and not yet transmitted (validated invoices waiting for their PES batch included, so
            // it moves by up to 500 a commune): steady when the pipeline keeps up, growing when it does not
            window.put("backlogAtStart", backlogAtStart);
            window.put("backlogAtEnd", backlogAtEnd);
            window.put("latencyIntakeToTransmittedP50Ms", Latencies.ms(Latencies.percentile(sorted, 50)));
            window.put("latencyIntakeToTransmittedP95Ms", Latencies.ms(Latencies.percentile(sorted, 95)));
            window.put("latencyIntakeToTransmittedP99Ms", Latencies.ms(Latencies.percentile(sorted, 99)));
            report.put("window", window);
            // from the window's start until drained: the CPU, database and broker work of every
            // invoice each stage handled in that time, per invoice
            long transmittedSinceStart = PipelineCosts.count(db, "SELECT COUNT(*) FROM pes_pj p JOIN transmission t "
                    + "ON t.flow_id = p.pes_flow_id WHERE t.sent_at >= ?", windowStart);
            report.put("cpuPerInvoiceMs", PipelineCosts.cpuPerInvoice(StageCpu.between(cpuBefore, cpuAfter),
                    PipelineCosts.handledSince(db, windowStart), transmittedSinceStart));
            // every process of the machine: the gateway and, when it is the database, PostgreSQL's
            report.put("machineCpuPerInvoiceMs", machineBefore < 0 ? null
                    : Math.round(machineBusy * 100.0 / Math.max(1, transmittedSinceStart)) / 100.0);
            report.put("cpuAloneMs", PipelineCosts.alone(gateway, templates.get("aubeval").replace("BENCH-N", "BENCH-ALONE"),
                    "aubeval"));
            report.put("jitAndGcMs", Map.of("compilation", cpuAfter.compileMillis() - cpuBefore.compileMillis(),
                    "gcPauses", cpuAfter.gcMillis() - cpuBefore.gcMillis()));
            report.put("threadsNoStageClaims", StageCpu.unclaimed(cpuBefore, cpuAfter, 5));
            Map<String, Double> perInvoice = traffic.perInvoice(posted);
            // what the shared-parts benchmark stores as a verdict's report, to write what the gateway writes
            Double reportBytes = db.queryForObject("SELECT AVG(CAST(LENGTH(report) AS DOUBLE PRECISION)) FROM validation_report",
                    Double.class);
            perInvoice.put("reportBytes", reportBytes == null ? null : (double) Math.round(reportBytes));
            report.put("perInvoice", perInvoice);
            report.put("databaseRoundTripsPerInvoiceByStage", PipelineCosts.roundTripsByStage(roundTripsBefore,
                    gateway.database().traffic().roundTripsByThread(), posted));
            report.put("commonestStatementsPerInvoice", h2 ? PipelineCosts.statementsPerInvoice(db, posted, 25)
                    : "counted by H2 only");
            if (h2) {
                report.put("h2StoreAtWindowStart", storeAtStart);
                report.put("h2StoreAtWindowEnd", storeAtEnd);
            }
            report.put("invoicesPostedInAll", posted);
            report.put("invoicesTransmittedInAll", transmitted);
            report.put("invoicesRejectedOrFailed", invoicesRejected);
            report.put("pesFlowsTransmitted", pesFlowsSent);
            report.put("simulatorDeliveries", simulator.deliveries().size());
            report.put("flowsDeliveredMoreThanOnce", sentTwice);
            ok = transmitted == posted && sentTwice == 0 && simulator.deliveries().size() == pesFlowsSent
                    && invoicesRejected == 0;
            report.put("nothingLostNothingTwice", ok);
        }
        // its database alone grows by gigabytes in a 5-minute run: kept only when something was lost
        report.put("dataFolder", ok ? "deleted" : data.toString());
        if (ok) {
            FileSystemUtils.deleteRecursively(data);
        }
        BenchReport.write("treasury", report, out);
        return ok ? 0 : 1;
    }

    /** Clients post for the given seconds, together at most {@code rate} invoices a second. */
    private void post(int clients, int rate, int seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        double interval = 1e9 / rate;
        AtomicLong slot = new AtomicLong();
        AtomicLong threads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients,
                r -> new Thread(r, "bench-client-" + threads.incrementAndGet()));
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (true) {
                    long due = start + (long) (slot.getAndIncrement() * interval);
                    if (due >= end) {
                        return null;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    long n = sequence.incrementAndGet();
                    String commune = COMMUNES.get((int) (n % COMMUNES.size()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(api))
                            .header("X-Api-Key", "demo-key-" + commune).header("X-File-Name", "facture-" + n + ".xml")
                            .header("Content-Type", "application/xml")
                            .POST(HttpRequest.BodyPublishers.ofString(templates.get(commune).replace("BENCH-N", "BENCH-" + n),
                                    StandardCharsets.UTF_8)).build();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                    }
                }
            }));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow(); // a client that failed must not keep the JVM alive
        }
    }

    /** Invoices transmitted so far: the PJ of every PES flow sent. */
    private static long transmittedCount(JdbcTemplate db) {
        return PipelineCosts.count(db, "SELECT COUNT(*) FROM pes_pj p JOIN transmission t ON t.flow_id = p.pes_flow_id "
                + "WHERE t.state = 'SENT'");
    }

    /**
     * The EN 16931 UBL sample with the commune as buyer, its invoice number BENCH-N (made unique per
     * post), comments and indentation removed: a valid invoice of about 15 KB.
     */
    static String invoiceTemplate(String sample, String siret) {
        String s = sample.replace("<cac:PartyIdentification>\n                <cbc:ID>10202</cbc:ID>",
                "<cac:PartyIdentification>\n                <cbc:ID schemeID=\"0009\">" + siret + "</cbc:ID>");
        s = s.replaceAll("(?s)<!--.*?-->", "").replaceAll(">\\s+<", "><");
        int id = s.indexOf("<cbc:ID>");
        int close = s.indexOf("</cbc:ID>", id);
        return s.substring(0, id) + "<cbc:ID>BENCH-N" + s.substring(close);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(java.time.ZoneOffset.UTC);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
