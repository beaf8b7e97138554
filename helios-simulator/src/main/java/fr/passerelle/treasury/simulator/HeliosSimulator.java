package fr.passerelle.treasury.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.ftpserver.ftplet.FtpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.pes.PesFacts;

/**
 * An embedded stand-in for the DGFiP side of the transfer: an FTP server (with the SITE
 * parameters) and an SFTP server on one account whose home is {@code root}, flows uploaded into
 * {@code depot/}, acquittements written into {@code retour/}. A flow is delivered when a file named
 * {@code *.xml} in depot/ is completely uploaded or renamed to that name; other names (.part,
 * .tmp) are never read. Each delivered flow is checked as Hélios would (schema, SITE P_APPLI and
 * P_MSG, signatures, NomFic and IdUnique duplicates, remembered in {@code root/.state} across
 * restarts) and acknowledged by a PES_ACQUIT after {@code ackDelay}. {@link Mode}s make it
 * misbehave, for tests of the gateway's resilience.
 */
public final class HeliosSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeliosSimulator.class);
    public static final String DEPOT = "depot";
    public static final String RETOUR = "retour";
    public static final String STATE = ".state";
    private static final DateTimeFormatter ACK_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss");
    private static final byte[] GARBAGE = "ACK HELIOS <<< acquittement tronqué\u0000\u0001 ???".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * @param ftpPort  0: any free port; -1: no FTP server
     * @param sftpPort 0: any free port; -1: no SFTP server
     * @param hostKey  where the SFTP host key is kept (made on first start)
     */
    public record Options(Path root, String host, int ftpPort, int sftpPort, String user, String password,
                          Duration ackDelay, Path hostKey) {

        public Options {
            Objects.requireNonNull(root, "root");
            host = host == null ? "127.0.0.1" : host;
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            ackDelay = ackDelay == null ? Duration.ZERO : ackDelay;
            hostKey = hostKey == null ? root.resolve(STATE).resolve("host-key.ser") : hostKey;
        }

        /**
         * The options of the gateway's {@code passerelle.simulator.*} settings (host, ftp-port, sftp-port, user,
         * password, ack-delay as ISO-8601), kept under {@code dataDir/helios-simulator}.
         */
        public static Options fromSettings(java.util.function.UnaryOperator<String> setting, Path dataDir) {
            String p = "passerelle.simulator.";
            return new Options(dataDir.resolve("helios-simulator"), setting.apply(p + "host"),
                    Integer.parseInt(setting.apply(p + "ftp-port").trim()), Integer.parseInt(setting.apply(p + "sftp-port").trim()),
                    setting.apply(p + "user"), setting.apply(p + "password"), Duration.parse(setting.apply(p + "ack-delay").trim()),
                    dataDir.resolve("keys").resolve("simulator-host-key.ser"));
        }

        /** Both servers on free ports of 127.0.0.1, user "passerelle", acquittements at once. */
        public static Options defaults(Path root) {
            return new Options(root, "127.0.0.1", 0, 0, "passerelle", "passerelle", Duration.ZERO, null);
        }
    }

    /** How the simulated treasury behaves, switchable at any time. */
    public enum Mode {
        /** Accepts, checks and acknowledges after ackDelay. */
        NORMAL,
        /** New connections refused: FTP 421 at connect, SFTP authentication refused. */
        REFUSE_CONNECTIONS,
        /** Uploads never complete: STOR / SFTP open-for-write and writes held, then the connection dropped. */
        HANG,
        /** Flows delivered and integrated, but no acquittement ever written (DROP, LATE, GARBAGE: the mode a flow arrives in). */
        DROP,
        /** Acquittement written only after lateDelay (instead of ackDelay). */
        LATE,
        /** An unparseable file, named like an acquittement (with "ACK"), instead of the acquittement. */
        GARBAGE,
        /** Renames performed and the delivery recorded, then the reply to the client held. */
        HANG_AFTER_RENAME,
        /** RNFR/RNTO (SFTP rename) held without being performed, then refused. */
        HANG_BEFORE_RENAME
    }

    /** A flow delivered into depot/ (nomFic null when it is not readable PES). */
    public record Delivery(String fileName, String nomFic, String sha256, Map<String, String> siteCommands, Instant at) {
    }

    private final Options options;
    private final Path depot;
    private final Path retour;
    private final Path stateDir;
    private final Clock clock;
    private volatile Mode mode = Mode.NORMAL;
    private volatile Duration ackDelay;
    private volatile Duration lateDelay = Duration.ofSeconds(30);
    private final Gate gate = new Gate(() -> mode);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<Path> acquittements = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final java.util.Set<String> ackNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Acquittements not written because their flow arrived in DROP mode (only touched by the executor). */
    private final List<PendingAck> dropped = new java.util.ArrayList<>();
    private IntegratedState state;
    private FlowChecks checks;
    private ScheduledExecutorService executor;
    private SimulatorFtp ftp;
    private SimulatorSftp sftp;
    private boolean started;
    private boolean closed;

    public HeliosSimulator(Options options) {
        this(options, Clock.systemUTC());
    }

    public HeliosSimulator(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.ackDelay = options.ackDelay();
        Path root = options.root().toAbsolutePath().normalize();
        this.depot = root.resolve(DEPOT);
        this.retour = root.resolve(RETOUR);
        this.stateDir = root.resolve(STATE);
    }

    /** Starts the servers; a second call does nothing. */
    public synchronized HeliosSimulator start() throws IOException {
        if (closed) {
            throw new IllegalStateException("simulator closed");
        }
        if (started) {
            return this;
        }
        Files.createDirectories(depot);
        Files.createDirectories(retour);
        Files.createDirectories(stateDir.resolve("tmp"));
        Files.createDirectories(stateDir.resolve("recus"));
        Files.createDirectories(options.hostKey().toAbsolutePath().getParent());
        state = new IntegratedState(stateDir);
        checks = new FlowChecks(state, clock);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "helios-simulator");
            t.setDaemon(true);
            return t;
        });
        Path root = options.root().toAbsolutePath().normalize();
        try {
            if (options.ftpPort() >= 0) {
                ftp = new SimulatorFtp(this, options.host(), options.ftpPort(), options.user(), options.password(), root);
                ftp.start();
            }
            if (options.sftpPort() >= 0) {
                sftp = new SimulatorSftp(this, options.host(), options.sftpPort(), options.user(), options.password(), root,
                        options.hostKey());
                sftp.start();
            }
        } catch (FtpException | IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException("Hélios simulator cannot start: " + e.getMessage(), e);
        }
        started = true;
        LOG.info("Hélios simulator on {} (FTP {}, SFTP {}), root {}", options.host(), ftpPort(), sftpPort(), root);
        return this;
    }

    /** The bound FTP port, -1 when disabled or not started. */
    public int ftpPort() {
        return ftp == null ? -1 : ftp.port();
    }

    public int sftpPort() {
        return sftp == null ? -1 : sftp.port();
    }

    public Path root() {
        return options.root();
    }

    public Path depot() {
        return depot;
    }

    public Path retour() {
        return retour;
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        gate.changed();
    }

    public void lateDelay(Duration delay) {
        this.lateDelay = Objects.requireNonNull(delay, "delay");
    }

    public void ackDelay(Duration delay) {
        this.ackDelay = Objects.requireNonNull(delay, "delay");
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public long deliveriesOf(String nomFic) {
        return deliveries.stream().filter(d -> nomFic.equals(d.nomFic())).count();
    }

    /** Waits until {@code count} deliveries of the NomFic are recorded; false when the timeout passes first. */
    public boolean awaitDeliveries(String nomFic, int count, Duration timeout) {
        return await(() -> deliveriesOf(nomFic) >= count, timeout);
    }

    /** Acquittements (and GARBAGE files) written into retour/, in order. */
    public List<Path> acquittementsWritten() {
        return List.copyOf(acquittements);
    }

    /** Waits until {@code count} acquittements are written; answers them (fewer when the timeout passes first). */
    public List<Path> awaitAcquittements(int count, Duration timeout) {
        await(() -> acquittements.size() >= count, timeout);
        return acquittementsWritten();
    }

    public int refusedConnections() {
        return refused.get();
    }

    /**
     * Writes now the acquittement of every flow delivered in DROP mode, which had none: a treasury
     * that lost its answers and sends them again. Flows delivered before this call are processed
     * first. Answers how many acquittements were written.
     */
    public int acknowledgePending() throws IOException {
        if (executor == null) {
            return 0;
        }
        java.util.concurrent.Future<Integer> written = executor.submit(() -> {
            int n = 0;
            while (!dropped.isEmpty()) {
                PendingAck pending = dropped.get(0);
                acquittements.add(publish(ackName(pending.header(), pending.ok()),
                        AcquitWriter.write(pending.header(), pending.elements())));
                dropped.remove(0);
                n++;
            }
            return n;
        });
        try {
            return written.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing pending acquittements", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("pending acquittements not written: " + e, e);
        }
    }

    /** Drops a PES_Retour (e.g. PES2R…) into retour/, atomically. */
    public void writeRetour(String fileName, byte[] content) throws IOException {
        publish(fileName, content);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        gate.close(); // first: server threads held by a mode must not keep the servers from stopping
        if (ftp != null) {
            try {
                ftp.stop();
            } catch (RuntimeException e) {
                LOG.warn("Hélios simulator FTP server did not stop cleanly: {}", e.toString());
            }
        }
        if (sftp != null) {
            try {
                sftp.stop();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Hélios simulator SFTP server did not stop cleanly: {}", e.toString());
            }
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- for the servers

    Gate gate() {
        return gate;
    }

    void refusedConnection() {
        refused.incrementAndGet();
    }

    /** A file written or renamed by a client: a delivery when it is a *.xml of depot/. */
    void delivered(Path physical, Map<String, String> site, boolean viaFtp) {
        Path file = physical.toAbsolutePath().normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!depot.equals(file.getParent()) || !name.endsWith(".xml") || !Files.isRegularFile(file)) {
            return;
        }
        try {
            // checked from a copy: the client may overwrite the name meanwhile
            Path copy = stateDir.resolve("recus").resolve(sequence.incrementAndGet() + "-" + name);
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            String nomFic;
            try {
                nomFic = PesFacts.valueOf(PesFacts.read(copy).nomFic());
            } catch (Exception e) {
                nomFic = null;
            }
            Map<String, String> commands = Map.copyOf(site);
            deliveries.add(new Delivery(name, nomFic, sha256(copy), commands, clock.instant()));
            LOG.info("Hélios simulator: {} delivered (NomFic {})", name, nomFic);
            Mode atDelivery = mode; // the mode the flow arrived in decides its acquittement, whenever it is processed
            executor.execute(() -> process(copy, name, viaFtp ? commands : null, atDelivery));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Hélios simulator cannot take delivery of {}: {}", name, e.toString());
        }
    }

    private void process(Path copy, String fileName, Map<String, String> site, Mode now) {
        try {
            FlowChecks.Verdict verdict = checks.check(copy, fileName, site);
            if (verdict.integrate()) {
                state.integrate(verdict.nomFic(), verdict.acceptedIdUniques()); // persisted before any acquittement
            }
            if (now == Mode.DROP) {
                LOG.info("Hélios simulator (DROP): no acquittement for {}", fileName);
                dropped.add(new PendingAck(verdict.header(), verdict.elements(), verdict.ok()));
                return;
            }
            byte[] content = now == Mode.GARBAGE ? GARBAGE : AcquitWriter.write(verdict.header(), verdict.elements());
            String name = ackName(verdict.header(), verdict.ok());
            Duration delay = now == Mode.LATE ? lateDelay : ackDelay;
            executor.schedule(() -> {
                try {
                    acquittements.add(publish(name, content));
                } catch (IOException e) {
                    LOG.warn("Hélios simulator cannot write acquittement {}: {}", name, e.toString());
                }
            }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Hélios simulator cannot process {}: {}", fileName, e.toString());
        }
    }

    /** {@code <IdPost>_<yyMMddHHmmss>-ACK-<NomFic without .xml>_<OK|KO>.xml}, a counter after the time if taken. */
    private String ackName(AckHeader header, boolean ok) {
        String idPost = header.idPost() == null ? "000000" : safe(header.idPost());
        String nomFic = safe(header.nomFic().replaceFirst("(?i)\\.xml$", ""));
        String time = ACK_TIME.format(clock.instant().atZone(ZoneId.systemDefault()));
        String suffix = "-ACK-" + nomFic + "_" + (ok ? "OK" : "KO") + ".xml";
        String name = idPost + "_" + time + suffix;
        // names are taken when decided: an acquittement still waiting for its delay keeps its own
        for (int n = 2; !ackNames.add(name) || Files.exists(retour.resolve(name)); n++) {
            name = idPost + "_" + time + "-" + n + suffix;
        }
        return name;
    }

    private record PendingAck(AckHeader header, List<AckElement> elements, boolean ok) {
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private Path publish(String fileName, byte[] content) throws IOException {
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        Path tmp = stateDir.resolve("tmp").resolve(sequence.incrementAndGet() + "-" + fileName);
        Files.write(tmp, content);
        return Files.move(tmp, retour.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

}
