package fr.passerelle;

import fr.passerelle.settings.Settings;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The real gateway, as `serve` starts it, with the shipped configuration (demo communes) but on
 * free ports and a temporary data folder. Tests close it; a second instance on the same folder
 * is a restart.
 */
public final class TestGateway implements AutoCloseable {

    private static final AtomicInteger VM_IDS = new AtomicInteger(100);
    private static final int FIRST_PORT = 10_000;
    private static final int EPHEMERAL_LOW = ephemeralRangeStart();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    public final Gateway gateway;
    public final int httpPort;
    public final int managementPort;
    public final int sftpPort;
    public final Path dataDir;
    /** The embedded Hélios simulator's FTP port, which the helios-simulator endpoint points to. */
    public final int simulatorFtpPort;
    private final HeliosSimulator simulator;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestGateway(Path dataDir, Map<String, String> extra) throws Exception {
        this(dataDir, Path.of("config"), extra);
    }

    private TestGateway(Path dataDir, Path configDir, Map<String, String> extra) throws Exception {
        this.dataDir = dataDir;
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.sftpPort = freePort();
        Map<String, String> overrides = new HashMap<>(localOverrides(dataDir, httpPort, managementPort));
        overrides.put("passerelle.sftp.host", "127.0.0.1");
        overrides.put("passerelle.sftp.port", String.valueOf(sftpPort));
        overrides.put("passerelle.broker.url", "vm://" + VM_IDS.incrementAndGet());
        this.simulatorFtpPort = freePort();
        overrides.putAll(treasuryOverrides(simulatorFtpPort));
        overrides.put("passerelle.simulator.ftp-port", String.valueOf(simulatorFtpPort));
        overrides.put("passerelle.simulator.sftp-port", String.valueOf(freePort()));
        overrides.putAll(extra);
        Settings settings = Settings.load(configDir, Map.of(), overrides);
        // the treasury of the tests, as the demo has it: the Hélios simulator the helios-simulator endpoint points to
        simulator = settings.getBoolean("passerelle.simulator.enabled")
                ? new HeliosSimulator(HeliosSimulator.Options.fromSettings(settings::get, dataDir)).start() : null;
        gateway = new Gateway(settings);
        try {
            gateway.start();
        } catch (Exception e) {
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    /**
     * A test gateway's own folder and ports, on the loopback only; it makes a commune's demo key
     * only when that commune first signs.
     */
    public static Map<String, String> localOverrides(Path dataDir, int httpPort, int managementPort) {
        Map<String, String> o = new HashMap<>();
        o.put("passerelle.data.dir", dataDir.toString());
        o.put("camel.server.host", "127.0.0.1");
        o.put("camel.server.port", String.valueOf(httpPort));
        o.put("camel.management.host", "127.0.0.1");
        o.put("camel.management.port", String.valueOf(managementPort));
        o.put("passerelle.signature.demo-keys-at-start", "false");
        // the shipped config pulls aubeval's invoices from a Chorus Pro simulator: only the tests of it run one
        o.put("passerelle.chorus.enabled", "false");
        o.put("passerelle.chorus-simulator.enabled", "false");
        return o;
    }

    /**
     * A gateway in a process of its own, talking to a Hélios simulator in the test's JVM: no SFTP
     * server, no simulator of its own, every validated invoice packed at the next look, what a
     * killed process left behind woken again within seconds.
     */
    public static Map<String, String> processOverrides(int simulatorFtpPort, String packPeriodMs) {
        Map<String, String> o = new java.util.LinkedHashMap<>(treasuryOverrides(simulatorFtpPort));
        o.put("passerelle.sftp.enabled", "false");
        o.put("passerelle.simulator.enabled", "false");
        o.put("passerelle.pes.batch.max-wait", "PT0S");
        o.put("passerelle.pes.pack-period", packPeriodMs);
        o.put("passerelle.recovery.sweep-period", "2000");
        o.put("passerelle.recovery.grace", "PT5S");
        return o;
    }

    /**
     * The treasury side at test pace: the helios-simulator endpoint on the given FTP port, answers
     * within a fraction of a second, returns polled often, retries a few times quickly.
     */
    public static Map<String, String> treasuryOverrides(int simulatorFtpPort) {
        Map<String, String> o = new HashMap<>();
        o.put("passerelle.treasury.endpoint.helios-simulator.port", String.valueOf(simulatorFtpPort));
        o.put("passerelle.treasury.endpoint.helios-simulator.read-timeout", "PT5S");
        o.put("passerelle.treasury.endpoint.helios-simulator.connect-timeout", "PT5S");
        o.put("passerelle.simulator.ack-delay", "PT0.2S");
        o.put("passerelle.treasury.poll-delay", "200");
        o.put("passerelle.treasury.retry-delay-ms", "200");
        o.put("passerelle.treasury.max-retry-delay-ms", "1000");
        o.put("passerelle.treasury.max-attempts", "5");
        return o;
    }

    public static TestGateway start(Path dataDir) throws Exception {
        return new TestGateway(dataDir, Map.of());
    }

    public static TestGateway start(Path dataDir, Map<String, String> extra) throws Exception {
        return new TestGateway(dataDir, extra);
    }

    /** The gateway with another configuration folder (a copy of config/ a test changed). */
    public static TestGateway start(Path dataDir, Path configDir, Map<String, String> extra) throws Exception {
        return new TestGateway(dataDir, configDir, extra);
    }

    /** A copy of the shipped config/ folder, for a test to change. */
    public static Path copyOfConfig(Path target) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(Path.of("config"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    /** The gateway with its validation stage stopped: what intake queued stays on passerelle.validate. */
    public static TestGateway intakeOnly(Path dataDir) throws Exception {
        return intakeOnly(dataDir, Map.of());
    }

    public static TestGateway intakeOnly(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> all = new HashMap<>(extra);
        all.put("passerelle.validation.autostart", "false");
        return new TestGateway(dataDir, all);
    }

    public String api() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String management() {
        return "http://127.0.0.1:" + managementPort;
    }

    public HttpResponse<String> post(String apiKey, String fileName, byte[] content) throws IOException, InterruptedException {
        return post(apiKey, "/api/v1/flows", fileName, content);
    }

    /** POST to a path of the API (query string included), the file as the raw body. */
    public HttpResponse<String> post(String apiKey, String path, String fileName, byte[] content)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api() + path))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (fileName != null) {
            request.header("X-File-Name", fileName);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String apiKey, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api() + path));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An SFTP session of the demo supplier account (config/sftp-accounts.yaml), connected. */
    public com.jcraft.jsch.Session supplierSession(String password) throws com.jcraft.jsch.JSchException {
        com.jcraft.jsch.Session session = new com.jcraft.jsch.JSch().getSession("fournisseur-demo", "127.0.0.1", sftpPort);
        session.setPassword(password);
        session.setConfig("StrictHostKeyChecking", "no");
        session.connect(10_000);
        return session;
    }

    /** Uploads a file as the demo supplier does, into its SFTP home. */
    public void uploadBySftp(String name, java.io.InputStream content) throws Exception {
        com.jcraft.jsch.Session session = supplierSession("demo-supplier-password");
        try {
            com.jcraft.jsch.ChannelSftp sftp = (com.jcraft.jsch.ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            sftp.put(content, name);
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
    }

    /** A GET whose answer is kept as bytes (a downloaded file). */
    public HttpResponse<byte[]> getBytes(String apiKey, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api() + path));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits until the health endpoint answers UP (file consumers report DOWN until their first poll). */
    public String awaitHealthy(java.time.Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body;
        do {
            body = get(null, management() + "/observe/health").body();
            if (body.startsWith("{\"status\":\"UP\"")) {
                return body;
            }
            Thread.sleep(50); // polling interval of the condition, not a fixed wait
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gateway not healthy after " + timeout + ": " + body);
    }

    /** Polls a value until it satisfies the condition or the time is up; answers the last value seen. */
    public static <T> T await(java.util.function.Supplier<T> value, java.util.function.Predicate<T> done,
                              java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T v = value.get();
        while (!done.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling interval of the condition
            v = value.get();
        }
        return v;
    }

    /**
     * A port nothing listens on, never handed out twice in this JVM, and below the kernel's ephemeral
     * range, where a bind on port 0 and an outgoing connection take theirs: no other socket of this
     * JVM can take it before its server binds it. (Two ports asked of the kernel in a row may be the
     * same one: a CI run once gave the Hélios simulator's FTP server the management server's port.)
     */
    public static int freePort() throws IOException {
        int below = EPHEMERAL_LOW - 1;
        for (int attempt = 0; attempt < 1_000 && below > FIRST_PORT; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, below + 1);
            if (HANDED_OUT.add(port) && !ListeningPorts.taken("0.0.0.0", port)) {
                return port;
            }
        }
        // a kernel whose ephemeral range starts low: its port 0, still never twice
        for (int attempt = 0; attempt < 1_000; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free port found");
    }

    /** The first port of the kernel's ephemeral range (Linux: ip_local_port_range; 32768 when unknown). */
    static int ephemeralRangeStart() {
        try {
            // line by line: Files.readString trusts the size /proc reports, and reads short
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }

    /** The Hélios simulator this gateway transmits to (null when passerelle.simulator.enabled=false). */
    public HeliosSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        gateway.close();
        if (simulator != null) {
            simulator.close();
        }
    }
}
