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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;


import org.springframework.util.FileSystemUtils;

import fr.passerelle.Gateway;
import fr.passerelle.settings.Settings;
import fr.passerelle.flow.FlowQuery;

/**
 * {@code bench intake}: throughput of intake from HTTP POST to flow persisted and queued (the
 * POST is answered after both), with 10 KB invoices, 1 and 8 concurrent clients, on a real
 * gateway with its embedded broker and H2 database in a temporary folder. Every posted file is
 * checked to be a flow and a queued message at the end.
 */
public final class IntakeBenchmark {

    private static final int FILE_SIZE = 10 * 1024;
    private static final List<String> COMMUNES = List.of("aubeval", "belcourt", "dormeval", "fontbrune");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong sequence = new AtomicLong();
    private String api;

    public static int run(List<String> args, PrintStream out) throws Exception {
        int seconds;
        try {
            seconds = BenchOptions.parse(args, "bench intake [--seconds N]", Set.of("--seconds")).positive("--seconds", 15);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return new IntakeBenchmark().measure(seconds, out);
    }

    private int measure(int seconds, PrintStream out) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "intake: HTTP POST to flow persisted and queued");
        report.put("fileSizeBytes", FILE_SIZE);
        report.put("secondsPerScenario", seconds);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        // the embedded default (every commit written before it returns) against H2's own default, which
        // writes commits within half a second: what crash safety costs at intake
        Map<String, Object> durable = run(seconds, null);
        report.put("durableCommits", durable);
        report.put("delayedCommitsReference", run(seconds, h2Delayed -> "jdbc:h2:file:" + h2Delayed.toAbsolutePath()
                .resolve("db").resolve("passerelle") + ";DB_CLOSE_ON_EXIT=FALSE"));
        BenchReport.write("intake", report, out);
        return Boolean.TRUE.equals(durable.get("nothingLost")) ? 0 : 1;
    }

    /** One gateway, intake only, on the embedded H2 (dbUrl null) or another database URL made for its data folder. */
    private Map<String, Object> run(int seconds, java.util.function.Function<Path, String> dbUrl) throws Exception {
        Path data = Files.createTempDirectory("passerelle-bench-");
        int httpPort = freePort();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("passerelle.data.dir", data.toString());
        overrides.put("camel.server.host", "127.0.0.1");
        overrides.put("camel.server.port", String.valueOf(httpPort));
        overrides.put("camel.management.port", String.valueOf(freePort()));
        overrides.put("passerelle.sftp.enabled", "false");
        // only the benchmark's invoices: no Chorus Pro simulator seeding its own, no Chorus Pro polling
        overrides.put("passerelle.chorus.enabled", "false");
        overrides.put("passerelle.chorus-simulator.enabled", "false");
        // intake alone: the validation stage stays stopped, so every queued message can be counted
        overrides.put("passerelle.validation.autostart", "false");
        overrides.put("passerelle.signature.demo-keys-at-start", "false");
        overrides.put("passerelle.broker.url", dbUrl == null ? "vm://77" : "vm://78");
        if (dbUrl != null) {
            overrides.put("passerelle.db.url", dbUrl.apply(data));
        }
        api = "http://127.0.0.1:" + httpPort + "/api/v1/flows";
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("database", dbUrl == null ? "embedded default" : overrides.get("passerelle.db.url")
                .replace(data.toString(), "<data>"));
        long before = sequence.get();
        try (Gateway gateway = new Gateway(Settings.load(Path.of("config"), Map.of(), overrides))) {
            gateway.start();
            scenario(1, 3, new ArrayList<>()); // warm-up: JIT, connection pools, journal files
            List<Map<String, Object>> scenarios = new ArrayList<>();
            for (int clients : new int[] {1, 8}) {
                scenarios.add(scenario(clients, seconds, new ArrayList<>()));
            }
            report.put("scenarios", scenarios);
            long posted = sequence.get() - before;
            long flows = 0;
            for (String commune : COMMUNES) {
                int offset = 0;
                int page;
                do {
                    page = gateway.flows().list(new FlowQuery(commune, null, null, null, null, null, FlowQuery.MAX_LIMIT,
                            offset)).size();
                    flows += page;
                    offset += page;
                } while (page == FlowQuery.MAX_LIMIT);
            }
            long queued = gateway.broker().depth("passerelle.validate");
            report.put("posted", posted);
            report.put("flowsPersisted", flows);
            report.put("messagesQueued", queued);
            report.put("nothingLost", posted == flows && posted == queued);
        }
        // the gateway is closed: its data folder (database, journal, originals) goes, kept only when something was lost
        if (Boolean.TRUE.equals(report.get("nothingLost"))) {
            FileSystemUtils.deleteRecursively(data);
        } else {
            report.put("dataFolder", data.toString());
        }
        return report;
    }

    private Map<String, Object> scenario(int clients, int seconds, List<Long> latencies) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long n = sequence.incrementAndGet();
                    String commune = COMMUNES.get((int) (n % COMMUNES.size()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(api))
                            .header("X-Api-Key", "demo-key-" + commune).header("X-File-Name", "bench-" + n + ".xml")
                            .header("Content-Type", "application/xml")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(invoice(n))).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    mine.add(System.nanoTime() - t0);
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                    }
                }
                return mine;
            }));
        }
        for (Future<List<Long>> f : results) {
            latencies.addAll(f.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", clients);
        m.put("files", sorted.length);
        m.put("filesPerSecond", Math.round(sorted.length / elapsed * 10) / 10.0);
        m.put("p50Ms", Latencies.ms(Latencies.percentile(sorted, 50)));
        m.put("p95Ms", Latencies.ms(Latencies.percentile(sorted, 95)));
        m.put("p99Ms", Latencies.ms(Latencies.percentile(sorted, 99)));
        return m;
    }

    /** A UBL invoice of exactly 10 KB, unique per n (so that no two are duplicates). */
    static byte[] invoice(long n) {
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
                + "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\" "
                + "xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\">\n"
                + "<cbc:ID>BENCH-" + n + "</cbc:ID><cbc:IssueDate>2026-11-22</cbc:IssueDate>\n<cbc:Note>";
        String tail = "</cbc:Note>\n</Invoice>\n";
        byte[] filler = new byte[FILE_SIZE - head.length() - tail.length()];
        Arrays.fill(filler, (byte) 'x');
        return (head + new String(filler, StandardCharsets.US_ASCII) + tail).getBytes(StandardCharsets.UTF_8);
    }


    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
