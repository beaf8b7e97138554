package fr.passerelle.chorus.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

/**
 * An embedded stand-in for Chorus Pro behind the PISTE gateway, as a recipient (a commune) sees it: an OAuth2
 * client-credentials token at {@code /api/oauth/token}, then {@code POST /cpro/<service>} with the bearer token and
 * the technical account in the {@code cpro-account} header (base64 of login:password). It serves the recipient's
 * services (search, consult, history, download, processing statuses; see {@link InvoiceEndpoints}) on invoices
 * {@link #deposit deposited} by the test or the demo, on the JDK's HTTP server. {@link Misbehaviour}s make the next
 * API calls fail, for tests of the gateway's resilience.
 */
public final class ChorusProSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChorusProSimulator.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 120L * 1024 * 1024;
    static final Duration SLOW_DELAY = Duration.ofSeconds(2);

    /**
     * @param port              0: any free port
     * @param technicalAccounts the technical accounts' login → password, checked in the cpro-account header
     * @param maxDownloadBytes  a telecharger/groupe result bigger than this is answered 413 (Chorus Pro: 120 MB)
     */
    public record Options(String host, int port, String clientId, String clientSecret, Map<String, String> technicalAccounts,
                          Duration tokenLifetime, long maxDownloadBytes) {

        public Options {
            host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            technicalAccounts = Map.copyOf(technicalAccounts == null ? Map.of() : technicalAccounts);
            tokenLifetime = tokenLifetime == null ? Duration.ofHours(1) : tokenLifetime;
            maxDownloadBytes = maxDownloadBytes <= 0 ? DEFAULT_MAX_DOWNLOAD_BYTES : maxDownloadBytes;
        }

        /** 127.0.0.1, a free port, client passerelle/passerelle-secret, account passerelle-tech, 1 h tokens, 120 MB. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, "passerelle", "passerelle-secret",
                    Map.of("passerelle-tech", "passerelle-tech-password"), Duration.ofHours(1), DEFAULT_MAX_DOWNLOAD_BYTES);
        }

        /**
         * The options of the gateway's {@code passerelle.chorus-simulator.*} settings (host, port, client-id,
         * client-secret, login, password); a setting missing or blank keeps its {@link #defaults()} value.
         */
        public static Options fromSettings(Function<String, String> setting) {
            Options d = defaults();
            Function<String, String> value = key -> {
                String v = setting.apply("passerelle.chorus-simulator." + key);
                return v == null || v.isBlank() ? null : v.trim();
            };
            String port = value.apply("port");
            String login = value.apply("login");
            String password = value.apply("password");
            Map<String, String> accounts = login == null && password == null ? d.technicalAccounts()
                    : Map.of(login == null ? "passerelle-tech" : login, password == null ? "passerelle-tech-password" : password);
            return new Options(Objects.requireNonNullElse(value.apply("host"), d.host()),
                    port == null ? d.port() : Integer.parseInt(port),
                    Objects.requireNonNullElse(value.apply("client-id"), d.clientId()),
                    Objects.requireNonNullElse(value.apply("client-secret"), d.clientSecret()),
                    accounts, d.tokenLifetime(), d.maxDownloadBytes());
        }
    }

    /** A status an invoice took, oldest first in {@link #history}; motif and numeroDPMandat null when none. */
    public record StatusChange(String statut, String motif, String numeroDPMandat, OffsetDateTime at) {
    }

    private final Options options;
    private final Clock clock;
    private final SimulatedInvoices invoices = new SimulatedInvoices(1001);
    private final AccessControl access;
    private final Deque<Misbehaviour> misbehaviours = new ArrayDeque<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    public ChorusProSimulator(Options options) {
        this(options, Clock.systemUTC());
    }

    /** With a clock of the test's (deposit and status times, token expiry). */
    public ChorusProSimulator(Options options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.access = new AccessControl(options, this::now);
    }

    /** Starts the HTTP server; a second call does nothing. */
    public synchronized ChorusProSimulator start() throws IOException {
        if (closed) {
            throw new IllegalStateException("simulator closed");
        }
        if (server != null) {
            return this;
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chorus-simulator");
            t.setDaemon(true);
            return t;
        });
        // the JDK server writes headers and body apart: without TCP_NODELAY each answer waits ~40 ms for an ACK
        // (read once per JVM, by the first HttpServer)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        server.createContext("/", new HttpRoutes(this, access, new InvoiceEndpoints(this, invoices)));
        server.setExecutor(executor);
        server.start();
        LOG.info("Chorus Pro simulator on http://{}:{} (token {}, API {})", options.host(), port(), tokenUri(), apiUri());
        return this;
    }

    /** The bound port, -1 before start. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    public URI tokenUri() {
        return URI.create(base() + "/api/oauth/token");
    }

    /** The API's root, {@code http://host:port/cpro/}: a service's path is appended to it. */
    public URI apiUri() {
        return URI.create(base() + "/cpro/");
    }

    private String base() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    public Options options() {
        return options;
    }

    /** An invoice received for the structure, MISE_A_DISPOSITION now; answers its idFacture. */
    public long deposit(long idDestinataire, String codeDestinataire, String numeroFacture, String fileName,
                        byte[] content, BigDecimal montantTTC) {
        SimulatedInvoices.Invoice invoice = invoices.deposit(idDestinataire, codeDestinataire, numeroFacture, fileName,
                content, montantTTC, now());
        LOG.info("Chorus Pro simulator: facture {} (n° {}, {} octets) mise à disposition de la structure {}",
                invoice.idFacture(), numeroFacture, content.length, idDestinataire);
        return invoice.idFacture();
    }

    /** Deposits every regular file of the folder, by name; numeroFacture is the name without its extension. */
    public void seed(long idDestinataire, String codeDestinataire, Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                deposit(idDestinataire, codeDestinataire, dot > 0 ? name.substring(0, dot) : name, name,
                        Files.readAllBytes(file), BigDecimal.ZERO);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seed the Chorus Pro simulator from " + folder, e);
        }
    }

    /** The invoice's current status; IllegalArgumentException when there is no such invoice. */
    public String status(long idFacture) {
        return invoices.find(idFacture).map(SimulatedInvoices.Invoice::statut)
                .orElseThrow(() -> new IllegalArgumentException("no invoice " + idFacture));
    }

    /** Every status the invoice took, oldest first (DEPOSEE and MISE_A_DISPOSITION at its deposit); empty if unknown. */
    public List<StatusChange> history(long idFacture) {
        return invoices.history(idFacture);
    }

    /** The next {@code times} API calls misbehave so (queued after the modes already waiting). */
    public void misbehave(Misbehaviour mode, int times) {
        Objects.requireNonNull(mode, "mode");
        synchronized (misbehaviours) {
            for (int i = 0; i < times; i++) {
                misbehaviours.addLast(mode);
            }
        }
    }

    /** How many requests a path got, e.g. "factures/v1/telecharger/groupe" (or "/cpro/…"; "api/oauth/token" too). */
    public int calls(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        p = p.startsWith("cpro/") ? p.substring("cpro/".length()) : p;
        AtomicInteger n = calls.get(p);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        HttpServer s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
        }
        if (s != null) {
            s.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow(); // a SLOW answer is interrupted
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- for the routes

    void called(String path) {
        calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    /** The misbehaviour the call to this path meets, taken off the queue; null: behave. TOO_LARGE waits for a download. */
    Misbehaviour nextMisbehaviour(String path) {
        synchronized (misbehaviours) {
            Misbehaviour next = misbehaviours.peekFirst();
            if (next == null || next == Misbehaviour.TOO_LARGE && !path.equals(InvoiceEndpoints.DOWNLOAD)) {
                return null;
            }
            return misbehaviours.pollFirst();
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static OffsetDateTime paris(Instant instant) {
        return instant.atZone(PARIS).toOffsetDateTime();
    }
}
