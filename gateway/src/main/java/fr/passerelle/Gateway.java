package fr.passerelle;

import fr.passerelle.settings.Settings;
import fr.passerelle.treasury.TreasuryOptions;
import fr.passerelle.signature.SignatureOptions;
import fr.passerelle.pes.PesOptions;
import fr.passerelle.validation.ValidationOptions;
import fr.passerelle.intake.IntakeOptions;
import fr.passerelle.flow.FlowOptions;
import fr.passerelle.flow.FlowSnapshots;
import fr.passerelle.api.ApiOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

import fr.passerelle.chorus.ChorusLedger;
import fr.passerelle.chorus.ChorusOptions;
import fr.passerelle.chorus.ChorusPoller;
import fr.passerelle.chorus.ChorusProClient;
import fr.passerelle.chorus.ChorusStatusPusher;
import fr.passerelle.chorus.ChorusView;
import fr.passerelle.intake.IntakeReceipt;
import fr.passerelle.intake.Submission;
import fr.passerelle.console.ConsoleAccounts;
import fr.passerelle.console.ConsoleAssets;
import fr.passerelle.console.ConsoleSessions;
import fr.passerelle.console.DashboardPage;
import fr.passerelle.console.FlowDownloads;
import fr.passerelle.console.FlowPages;
import fr.passerelle.console.SignInPages;
import fr.passerelle.console.ValidatePage;
import fr.passerelle.api.ApiAuth;
import fr.passerelle.api.ApiDocs;
import fr.passerelle.api.ApiErrors;
import fr.passerelle.api.ApiRequests;
import fr.passerelle.api.FlowApi;
import fr.passerelle.api.FlowIntakeApi;
import fr.passerelle.api.HttpFrontDoor;
import fr.passerelle.api.MultipartReader;
import fr.passerelle.api.TreasuryApi;
import fr.passerelle.api.ValidateApi;
import fr.passerelle.api.VerdictWait;
import fr.passerelle.api.VerifyApi;
import fr.passerelle.flow.BrokerPolicyCheck;
import fr.passerelle.flow.Database;
import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.HandOffMarks;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.PesRegistry;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.intake.FileIntake;
import fr.passerelle.intake.IntakeFolders;
import fr.passerelle.intake.SupplierReports;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.intake.IntakeService;
import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.intake.SupplierSftpServer;
import fr.passerelle.ops.CertificateHealthCheck;
import fr.passerelle.ops.CertificateMetrics;
import fr.passerelle.ops.ComponentHealthCheck;
import fr.passerelle.ops.ConcernHealthCheck;
import fr.passerelle.ops.DiskSpaceHealthCheck;
import fr.passerelle.ops.FlowMdc;
import fr.passerelle.ops.HealthOptions;
import fr.passerelle.ops.FlowMetrics;
import fr.passerelle.ops.FlowStageMetrics;
import fr.passerelle.ops.JvmMetrics;
import fr.passerelle.ops.StalledFlowsHealthCheck;
import fr.passerelle.ops.TreasuryHealthCheck;
import fr.passerelle.pes.PesStage;
import fr.passerelle.pes.PjBatcher;
import fr.passerelle.pes.RelayCheck;
import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.signature.CommuneKeyStore;
import fr.passerelle.signature.CommuneKeys;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SigningStage;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.treasury.AcquitReader;
import fr.passerelle.treasury.Notices;
import fr.passerelle.treasury.ReturnPolling;
import fr.passerelle.treasury.TransmissionPolicy;
import fr.passerelle.treasury.TransmissionStore;
import fr.passerelle.treasury.TreasuryDelivery;
import fr.passerelle.treasury.TreasuryEndpoint;
import fr.passerelle.treasury.TreasuryReturns;
import fr.passerelle.treasury.TreasuryTransports;
import fr.passerelle.treasury.TreasuryView;
import fr.passerelle.treasury.TreasuryWatch;
import fr.passerelle.treasury.Webhooks;
import fr.passerelle.validation.DeadlineValidator;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.LargeInvoiceGate;
import fr.passerelle.validation.PdfLimits;
import fr.passerelle.validation.ValidationArtefacts;
import fr.passerelle.validation.ValidationService;
import fr.passerelle.xml.XmlLimits;

/**
 * Assembles the gateway: configuration and communes first (a bad file stops start-up), then the
 * broker, the database, the SFTP server, and last Camel Main with the routes of routes/*.yaml and
 * the beans they call. Closing stops everything in the reverse order.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Hand-off marks are written this often, well within the recovery grace. */
    private static final long HAND_OFF_MARKS_PERIOD_MS = 1000;
    /** Durable queues of the pipeline whose depth is published as a metric. */
    public static final List<String> QUEUES = List.of("passerelle.validate", "passerelle.pes", "passerelle.sign",
            "passerelle.notify", EmbeddedBroker.DEAD_LETTER_QUEUE);

    private final Settings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Main main;
    private EmbeddedBroker broker;
    private Database database;
    private FlowStore flowStore;
    private PesRegistry pesRegistry;
    private OriginalStore originals;
    private SupplierSftpServer sftp;
    private TenantRegistry tenants;
    private ActiveMQConnectionFactory brokerConnections;
    private CertificateWatch certificates;
    private CommuneKeys keys;
    private FlowRecovery recovery;
    private ChorusLedger chorusLedger;
    /** What the companions found on the class path started (the demo's Hélios simulator), stopped after the gateway. */
    private final List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Gateway(Settings settings) {
        this.settings = settings;
    }

    public synchronized void start() throws Exception {
        try {
            doStart();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void doStart() throws Exception {
        // the validation artefacts take a few seconds to compile: meanwhile the rest starts
        CompletableFuture<ValidationArtefacts> artefacts = CompletableFuture.supplyAsync(ValidationArtefacts::shared);
        Path data = settings.dataDir();
        tenants = TenantRegistry.load(settings.configDir().resolve("tenants.yaml"));
        SupplierAccounts accounts = SupplierAccounts.load(settings.configDir().resolve("sftp-accounts.yaml"));
        LOG.info("{} communes configured, {} supplier SFTP accounts", tenants.communes().size(), accounts.users().size());
        DemoSecrets.refuseOutsideDemo(settings, tenants, accounts);
        // each capability reads its own settings; the gateway only connects the parts
        FlowOptions flowOptions = FlowOptions.from(settings);
        IntakeOptions intakeOptions = IntakeOptions.from(settings);
        ValidationOptions validationOptions = ValidationOptions.from(settings);
        PesOptions pesOptions = PesOptions.from(settings);
        SignatureOptions signatureOptions = SignatureOptions.from(settings);
        TreasuryOptions treasuryOptions = TreasuryOptions.from(settings);
        ApiOptions apiOptions = ApiOptions.from(settings);
        HealthOptions healthOptions = HealthOptions.from(settings);

        if (flowOptions.embeddedBroker()) {
            broker = new EmbeddedBroker(flowOptions.embeddedBroker(data, treasuryOptions.redelivery()));
            broker.start();
            started.push(broker);
        } else {
            BrokerPolicyCheck.verify(settings, tenants.communes());
        }
        brokerConnections = new ActiveMQConnectionFactory(flowOptions.brokerUrl(), flowOptions.brokerUserOrNull(),
                flowOptions.brokerPasswordOrNull());
        // no client-side prefetch: a consumer that is busy (or cached idle by the listener container)
        // must not sit on messages another consumer could take now
        brokerConnections.setConsumerWindowSize(0);
        // a session resolves each queue once, not with a round trip to the broker before every send
        brokerConnections.setCacheDestinations(true);
        started.push(brokerConnections);
        CachingConnectionFactory connections = new CachingConnectionFactory(brokerConnections);
        connections.setSessionCacheSize(20);
        started.push(connections::destroy);

        database = Database.open(flowOptions.jdbcUrl(data), flowOptions.dbUser(), flowOptions.dbPassword(),
                flowOptions.dbPoolSize());
        started.push(database);
        database.compactH2File(flowOptions.h2Compaction());
        flowStore = new FlowStore(database.dataSource(), Clock.systemUTC(), flowOptions.dbIntakeCommitLinger(),
                flowOptions.dbVerdictCommitLinger());
        pesRegistry = new PesRegistry(database.dataSource(), flowStore);
        recovery = new FlowRecovery(database.dataSource(), flowStore, Clock.systemUTC(),
                flowOptions.recovery());
        HandOffMarks handOffMarks = new HandOffMarks(recovery, HAND_OFF_MARKS_PERIOD_MS);
        started.push(handOffMarks);
        originals = new OriginalStore(data);

        if (intakeOptions.sftpEnabled()) {
            sftp = new SupplierSftpServer(accounts, intakeOptions.sftpHost(), intakeOptions.sftpPort(), data.resolve("sftp"), data.resolve("spool").resolve("sftp"),
                    data.resolve("keys").resolve("sftp-host-key.ser"));
            sftp.start();
            started.push(sftp);
        }
        for (var commune : tenants.communes()) {
            java.nio.file.Files.createDirectories(data.resolve("drop").resolve(commune.id()));
        }
        for (Companion companion : ServiceLoader.load(Companion.class)) {
            AutoCloseable running = companion.start(settings, data);
            if (running != null) {
                started.push(running);
                companions.add(running);
            }
        }
        Map<String, TreasuryEndpoint> endpoints = treasuryOptions.endpoints();
        warnOfUndeclaredEndpoints(endpoints);

        Quarantine quarantine = new Quarantine(originals, data.resolve("quarantine"));
        // bounds per file (passerelle.limits.*): checked before any parser or validator works on a file
        XmlLimits invoiceLimits = XmlLimits.invoice(settings::getSize);
        XmlLimits pesLimits = XmlLimits.pes(settings::getSize);
        PdfLimits pdfLimits = PdfLimits.of(settings);
        PesDocuments.limits(pesLimits);
        AcquitReader.limits(pesLimits);
        SupplierReports supplierReports = new SupplierReports(data.resolve("sftp"));
        IntakeService intake = new IntakeService(flowStore, originals,
                new FormatSniffer(invoiceLimits, pesLimits, pdfLimits.maxAttachmentSize()), tenants,
                intakeOptions.maxSize(), quarantine, supplierReports);
        InvoiceValidator validator = new InvoiceValidator(joinArtefacts(artefacts),
                validationOptions.maxXmlSize(), validationOptions.pdfa(), invoiceLimits, pdfLimits,
                new LargeInvoiceGate(validationOptions.largeInvoice()));
        DeadlineValidator judges = new DeadlineValidator("validation-judge", validator::validate,
                validationOptions.judges(), validationOptions.cpuBudget(), validationOptions.deadline(), Duration.ofSeconds(10));
        started.push(judges);
        // the API's and the console's validations never wait behind the queue's backlog
        DeadlineValidator apiJudges = new DeadlineValidator("validation-api-judge", validator::validate,
                validationOptions.apiSlots(), validationOptions.cpuBudget(), validationOptions.deadline(), Duration.ofSeconds(10));
        started.push(apiJudges);
        Supplier<List<String>> runaways = () -> Stream.concat(judges.runaways().stream(), apiJudges.runaways().stream())
                .toList();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        started.push(JvmMetrics.bind(meters));
        flowStore.events().onTransition(new FlowStageMetrics(meters));
        Gauge.builder("passerelle_validation_runaways", runaways, r -> r.get().size()).strongReference(true)
                .description("Validations that did not stop when their budget ran out (threads lost until restart)")
                .register(meters);

        JmsComponent jms = JmsComponent.jmsComponent(connections);
        jms.setTransacted(true);

        main = new Main();
        main.setOverrideProperties(settings.asProperties());
        main.configure().withRoutesIncludePattern("file:" + Path.of(settings.get("passerelle.routes.dir"))
                .toAbsolutePath() + "/*.yaml");
        main.bind("jms", jms);
        main.bind("flowMdc", new FlowMdc());
        main.bind("metricsRegistry", meters);
        main.bind("intake", intake);
        main.bind("recovery", recovery);
        main.bind("handOffMarks", handOffMarks);
        main.bind("flowSnapshots", new FlowSnapshots());
        main.bind("fileIntake", new FileIntake(tenants));
        IntakeFolders intakeFolders = new IntakeFolders(data, id -> tenants.commune(id).isPresent(),
                user -> accounts.account(user).isPresent(), meters);
        main.bind("intakeFolders", intakeFolders);
        TransmissionStore transmissions = new TransmissionStore(database.dataSource(), flowStore, Clock.systemUTC());
        TreasuryWatch treasuryWatch = new TreasuryWatch(transmissions,
                treasuryOptions.unacknowledgedAfter(), meters, endpoints.values());
        ApiRequests requests = new ApiRequests(new ApiAuth(tenants), tenants, new MultipartReader());
        VerdictWait verdicts = new VerdictWait(flowStore);
        flowStore.events().onTransition(verdicts::statusChanged);
        main.bind("apiErrors", new ApiErrors());
        main.bind("flowIntakeApi", new FlowIntakeApi(requests, flowStore, verdicts,
                validationOptions.maxWait()));
        chorusLedger = new ChorusLedger(database.dataSource(), Clock.systemUTC());
        main.bind("flowApi", new FlowApi(requests, flowStore, pesRegistry, originals, new TreasuryView(transmissions),
                new ChorusView(chorusLedger), recovery));
        main.bind("validateApi", new ValidateApi(requests, apiJudges, tenants, data.resolve("tmp").resolve("validate")));
        main.bind("verifyApi", new VerifyApi(requests));
        main.bind("apiDocs", new ApiDocs());
        main.bind("treasuryApi", new TreasuryApi(new ApiAuth(tenants), flowStore, transmissions, treasuryWatch, tenants));
        Notices notices = new Notices(flowStore, pesRegistry, Clock.systemUTC());
        ZoneId zone = treasuryOptions.zone();
        TransmissionPolicy policy = new TransmissionPolicy(Clock.systemUTC(), zone, treasuryOptions.rules(),
                transmissions::sentSince);
        main.bind("treasury", new TreasuryDelivery(flowStore, pesRegistry, recovery, transmissions, originals, tenants,
                endpoints, policy, TreasuryTransports::open, notices, Clock.systemUTC(), zone, treasuryOptions.maxAttempts(),
                treasuryOptions.nodeName(), treasuryOptions.claimLease()));
        main.bind("treasuryReturns", new TreasuryReturns(transmissions, originals, tenants, notices,
                data.resolve("outbox"), data.resolve("quarantine").resolve("treasury"), Clock.systemUTC()));
        main.bind("treasuryReturnsSeen", new JdbcMessageIdRepository(database.dataSource(), "treasury-returns"));
        main.bind("treasuryWatch", treasuryWatch);
        bindChorusPro(ChorusOptions.from(settings), meters);
        main.bind("webhooks", new Webhooks(tenants));
        main.bind("validation", new ValidationService(judges,
                flowOptions.maxDeliveryAttempts(), flowStore, originals, quarantine, tenants,
                supplierReports));
        main.bind("pes", new PesStage(flowStore, pesRegistry, originals, quarantine, tenants, new PjBatcher(pesOptions.batch()),
                new RelayCheck(pesOptions.relayMaxSize(), pesLimits), data.resolve("tmp").resolve("pes"),
                Clock.systemUTC()));
        keys = new CommuneKeys(data, new CommuneKeyStore(), signatureOptions.demoKeys());
        main.bind("signing", new SigningStage(flowStore, originals, tenants, keys, Clock.systemUTC()));
        certificates = new CertificateWatch(tenants.communes(), data, new CommuneKeyStore(),
                signatureOptions.expiryWarning(), Clock.systemUTC(), signatureOptions.demoKeys());
        CertificateMetrics.register(meters, certificates, tenants.communes());
        main.bind("certificates", certificates);
        List<String> queues = new java.util.ArrayList<>(QUEUES);
        tenants.communes().stream().map(c -> "passerelle.treasury." + c.idPost()).distinct().forEach(queues::add);
        main.bind("flowMetrics", new FlowMetrics(meters, flowStore, recovery, broker, queues, database.traffic()));
        bindConsole(treasuryWatch, transmissions, apiJudges, () -> {
            Map<String, Long> depths = new java.util.TreeMap<>();
            queues.forEach(q -> depths.put(q, broker == null ? -1 : broker.depth(q)));
            return depths;
        });
        HttpFrontDoor frontDoor = new HttpFrontDoor(apiOptions.readTimeout(), apiOptions.maxBodySize());
        main.bind("platform-http-engine", frontDoor.engine());
        main.bind("vertx", frontDoor.vertx());
        started.push(frontDoor);
        main.start();
        started.push(main::stop);
        ListeningPorts.requireHttpServersListening(main.getCamelContext());
        frontDoor.install(main.getCamelContext());
        addTreasuryRoutes(main.getCamelContext(), endpoints, treasuryOptions.pollDelayMs());

        HealthCheckRegistry health = HealthCheckRegistry.get(main.getCamelContext());
        health.register(new ComponentHealthCheck("broker", this::brokerUp));
        health.register(new ComponentHealthCheck("database", () -> {
            flowStore.ping();
            return true;
        }));
        if (sftp != null) {
            health.register(new ComponentHealthCheck("sftp-server", sftp::isRunning));
        }
        health.register(new CertificateHealthCheck(certificates));
        health.register(new TreasuryHealthCheck(treasuryWatch));
        if (settings.getBoolean("passerelle.chorus.enabled")) {
            health.register(new fr.passerelle.ops.ChorusHealthCheck(chorusLedger,
                    settings.getDuration("passerelle.chorus.degraded-after"), Clock.systemUTC()));
        }
        health.register(new StalledFlowsHealthCheck(recovery));
        health.register(new DiskSpaceHealthCheck(data, healthOptions.minFreeDisk()));
        health.register(new ConcernHealthCheck("intake-folders", intakeFolders::concerns));
        health.register(new ConcernHealthCheck("validation-judges", () -> runaways.get().stream()
                .map(file -> "la vérification de « " + file + " » ne s'arrête pas : redémarrez ce nœud").toList()));
        // the endpoints are probed by the ops timer route a second later: start-up does not wait on them
        treasuryWatch.refreshCounts();
        // demo communes get their keys at first start, in the background: RSA key generation takes a while
        Thread demoKeys = new Thread(() -> {
            try {
                int made = signatureOptions.demoKeysAtStart()
                        ? keys.ensureDemoKeys(tenants.communes()) : 0;
                if (made > 0) {
                    LOG.warn("{} demo signing keys generated under {} (self-signed: Hélios refuses them; install the "
                            + "communes' own PKCS#12 for production)", made, data.resolve("keys"));
                }
                certificates.check();
            } catch (Exception e) {
                LOG.error("Demo signing keys could not be prepared: {}", e.getMessage());
            }
        }, "passerelle-demo-keys");
        demoKeys.setDaemon(true);
        demoKeys.start();
        LOG.info("Passerelle started: API on port {}, health and metrics on port {}",
                settings.get("camel.server.port"), settings.get("camel.management.port"));
    }

    /** One delivery route per poste comptable, one return poller per endpoint, from routes/treasury.yaml. */
    private void addTreasuryRoutes(CamelContext camel, Map<String, TreasuryEndpoint> endpoints, long pollDelay)
            throws Exception {
        Set<String> postes = new TreeSet<>();
        tenants.communes().forEach(c -> postes.add(c.idPost()));
        for (String idPost : postes) {
            TemplatedRouteBuilder.builder(camel, "treasury-delivery").routeId("treasury-delivery-" + idPost)
                    .parameter("idPost", idPost).add();
        }
        for (TreasuryEndpoint endpoint : endpoints.values()) {
            TemplatedRouteBuilder.builder(camel, "treasury-returns").routeId("treasury-returns-" + endpoint.name())
                    .parameter("endpoint", endpoint.name())
                    .parameter("uri", ReturnPolling.uri(endpoint, "treasuryReturnsSeen", pollDelay)).add();
        }
    }

    /** A commune naming an endpoint nobody declared gets FAILED flows: said once, at start. */
    private void warnOfUndeclaredEndpoints(Map<String, TreasuryEndpoint> endpoints) {
        for (var commune : tenants.communes()) {
            if (!endpoints.containsKey(commune.treasuryEndpoint())) {
                LOG.error("Commune {} names treasury endpoint '{}', which passerelle.treasury.endpoints does not "
                        + "declare: its flows will be FAILED (TREASURY-ENDPOINT)", commune.id(), commune.treasuryEndpoint());
            }
        }
    }

    private static ValidationArtefacts joinArtefacts(CompletableFuture<ValidationArtefacts> artefacts) throws Exception {
        try {
            return artefacts.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private boolean brokerUp() {
        if (broker != null) {
            return broker.isActive();
        }
        try (var connection = brokerConnections.createConnection()) {
            return true;
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public FlowRecovery recovery() {
        return recovery;
    }

    public FlowStore flows() {
        return flowStore;
    }

    public PesRegistry pesRegistry() {
        return pesRegistry;
    }

    public OriginalStore originals() {
        return originals;
    }

    public TenantRegistry tenants() {
        return tenants;
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    public Database database() {
        return database;
    }

    /** The companion of this type the gateway started, if any (the demo's Hélios simulator). */
    public <T> java.util.Optional<T> companion(Class<T> type) {
        return companions.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public int sftpPort() {
        return sftp.port();
    }

    public jakarta.jms.ConnectionFactory connectionFactory() {
        return brokerConnections;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", resource, e.getMessage());
            }
        }
    }


    /** The chorus-pro channel and the statuses sent back; intake is reached through its route, as any channel. */
    private void bindChorusPro(ChorusOptions options, io.micrometer.core.instrument.MeterRegistry meters) {
        ChorusProClient client = new ChorusProClient(options, Clock.systemUTC());
        Function<Submission, IntakeReceipt> toIntake = submission -> main.getCamelContext().createFluentProducerTemplate()
                .to("direct:intake").withBody(submission).request(IntakeReceipt.class);
        main.bind("chorusPoller", new ChorusPoller(client, chorusLedger, flowStore, tenants, toIntake, options,
                Clock.systemUTC(), meters));
        main.bind("chorusStatusPusher", new ChorusStatusPusher(client, chorusLedger, flowStore, tenants, options,
                Clock.systemUTC(), meters));
        for (var commune : tenants.communes()) {
            if (commune.chorusPro() != null) {
                io.micrometer.core.instrument.Gauge.builder("passerelle_chorus_sync_lag_seconds", chorusLedger,
                                l -> l.watermark(commune.id()).map(w -> (double) Duration.between(w.since().toInstant(),
                                        java.time.Instant.now()).toSeconds()).orElse(Double.NaN))
                        .description("How far behind now the commune's Chorus Pro watermark is").tag("commune", commune.id())
                        .register(meters);
            }
        }
    }

    /** What the gateway knows of Chorus Pro (tests and the API read it). */
    public ChorusLedger chorusLedger() {
        return chorusLedger;
    }

    /** The web console (/console): its accounts and sessions in the database, its pages. */
    private void bindConsole(TreasuryWatch treasuryWatch, TransmissionStore transmissions, DeadlineValidator judges,
                             Supplier<Map<String, Long>> queueDepths) {
        ConsoleAccounts accounts = new ConsoleAccounts(database.dataSource(), Clock.systemUTC());
        ConsoleSessions sessions = new ConsoleSessions(database.dataSource(), accounts, Clock.systemUTC());
        if (settings.getBoolean("passerelle.demo")) {
            DemoSecrets.consoleAccounts(accounts, tenants);
        } else {
            DemoSecrets.refuseDemoConsoleAccounts(accounts);
        }
        main.bind("consoleSignIn", new SignInPages(accounts, sessions));
        main.bind("consoleDashboard", new DashboardPage(database.dataSource(), flowStore, recovery, treasuryWatch,
                certificates, chorusLedger, sessions, Clock.systemUTC(), queueDepths));
        FlowDownloads downloads = new FlowDownloads(flowStore, originals, transmissions, sessions);
        main.bind("consoleDownloads", downloads);
        main.bind("consoleFlows", new FlowPages(flowStore, downloads, new TreasuryView(transmissions),
                new ChorusView(chorusLedger), transmissions, tenants, sessions));
        main.bind("consoleValidate", new ValidatePage(judges, tenants, new MultipartReader(),
                settings.dataDir().resolve("tmp").resolve("console"), sessions));
        main.bind("consoleAssets", new ConsoleAssets());
    }
}
