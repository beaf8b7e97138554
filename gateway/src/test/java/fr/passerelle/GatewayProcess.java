package fr.passerelle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;


/**
 * The real gateway in its own JVM ({@code fr.passerelle.Passerelle serve --set k=v …}, the test
 * class path, the project's config/ and routes/), killed with SIGKILL and started again on the
 * same data folder. Each start has its log, {@code <logDir>/gateway-<n>.log}. The API keeps its
 * port across restarts (clients keep one address); if the port cannot be bound again, the next
 * start takes other ports.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Path data;
    private final Path logDir;
    private final List<String> jvmOptions;
    private final Supplier<Map<String, String>> settings;
    private final String probeKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread reaper = new Thread(this::close, "gateway-process-reaper");
    private volatile Process process;
    private volatile int httpPort;
    private volatile int managementPort;
    private int starts;
    private Path currentLog;

    /**
     * @param settings the --set overrides of each start, given the ports (called at every start;
     *                 the data folder, the ports and the loopback hosts are set here)
     * @param probeKey an API key, to ask the API whether it answers
     */
    public GatewayProcess(Path data, Path logDir, List<String> jvmOptions, Supplier<Map<String, String>> settings,
                   String probeKey) throws IOException {
        this.data = data;
        this.logDir = Files.createDirectories(logDir);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = settings;
        this.probeKey = probeKey;
        this.httpPort = TestGateway.freePort();
        this.managementPort = TestGateway.freePort();
        Runtime.getRuntime().addShutdownHook(reaper); // never leave a gateway behind the test JVM
    }

    /** Launches a new gateway process (the previous one must be dead); does not wait for it. */
    public synchronized void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the gateway is still running");
        }
        starts++;
        Map<String, String> set = new LinkedHashMap<>(TestGateway.localOverrides(data, httpPort, managementPort));
        set.putAll(settings.get());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "fr.passerelle.Passerelle", "serve"));
        set.forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v.replace("{data}", data.toString()));
        });
        currentLog = logDir.resolve("gateway-" + starts + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(currentLog.toFile()).start();
    }

    /**
     * Waits until the API answers (GET /api/v1/flows with a commune's key answers 200): true; false
     * when the process died first (e.g. its port could not be bound: the next launch takes new
     * ports) or the timeout passed.
     */
    public boolean awaitApi(Duration timeout) throws InterruptedException {
        Process p = process;
        boolean up = TestGateway.await(() -> !p.isAlive() || apiAnswers(), Boolean::booleanValue, timeout)
                && p.isAlive();
        if (!up && !p.isAlive()) {
            httpPort = freePortOr(httpPort);
            managementPort = freePortOr(managementPort);
        }
        return up;
    }

    private static int freePortOr(int port) {
        try {
            return TestGateway.freePort();
        } catch (IOException e) {
            return port;
        }
    }

    public boolean apiAnswers() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(api() + "/api/v1/flows?limit=1"))
                    .header("X-Api-Key", probeKey).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET on the API with a key; null when the gateway does not answer (down, starting). */
    public HttpResponse<String> get(String apiKey, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(api() + path)).header("X-Api-Key", apiKey)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A flow as GET /api/v1/flows/{id} shows it; null when not found or the gateway does not answer. */
    public com.fasterxml.jackson.databind.JsonNode flow(String apiKey, String id) {
        HttpResponse<String> r = get(apiKey, "/api/v1/flows/" + id);
        return r != null && r.statusCode() == 200 ? Json.parse(r.body()) : null;
    }

    /** SIGKILL (destroyForcibly), and waits until the process is gone. True when it was alive. */
    public boolean kill() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return false;
        }
        boolean alive = p.isAlive();
        p.destroyForcibly();
        p.waitFor();
        return alive;
    }

    /** The running gateway's threads (jcmd Thread.print) into {@code <logDir>/<name>}, for a post-mortem. */
    public Path threadDump(String name) throws IOException, InterruptedException {
        Process p = process;
        Path out = logDir.resolve(name);
        if (p == null || !p.isAlive()) {
            return null;
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(p.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!jcmd.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
        return out;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The exit code of the last process once it ended, else null. */
    public Integer exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    public String api() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return currentLog;
    }

    public int starts() {
        return starts;
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (Thread.currentThread() != reaper) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
