package fr.passerelle;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

import fr.passerelle.api.ApiAuth;
import fr.passerelle.api.FlowApi;
import fr.passerelle.api.MultipartReader;
import fr.passerelle.flow.Database;
import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.OriginalStore;
import fr.passerelle.flow.Quarantine;
import fr.passerelle.intake.FileIntake;
import fr.passerelle.intake.FormatSniffer;
import fr.passerelle.intake.IntakeService;
import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.intake.SupplierSftpServer;
import fr.passerelle.ops.CertificateHealthCheck;
import fr.passerelle.ops.CertificateMetrics;
import fr.passerelle.ops.ComponentHealthCheck;
import fr.passerelle.ops.FlowMetrics;
import fr.passerelle.pes.PesStage;
import fr.passerelle.pes.PjBatcher;
import fr.passerelle.pes.RelayCheck;
import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.signature.CommuneKeyStore;
import fr.passerelle.signature.CommuneKeys;
import fr.passerelle.signature.SigningStage;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ValidationArtefacts;
import fr.passerelle.validation.ValidationService;

/**
 * Assembles the gateway: configuration and communes first (a bad file stops start-up), then the
 * broker, the database, the SFTP server, and last Camel Main with the routes of routes/*.yaml and
 * the beans they call. Closing stops everything in the reverse order.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Durable queues of the pipeline whose depth is published as a metric. */
    public static final List<String> QUEUES = List.of("passerelle.validate", "passerelle.pes", "passerelle.sign",
            EmbeddedBroker.DEAD_LETTER_QUEUE);

    private final Settings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Main main;
    private EmbeddedBroker broker;
    private Database database;
    private FlowStore flowStore;
    private OriginalStore originals;
    private SupplierSftpServer sftp;
    private TenantRegistry tenants;
    private ActiveMQConnectionFactory brokerConnections;
    private CertificateWatch certificates;
    private CommuneKeys keys;

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

        if (settings.getBoolean("passerelle.broker.embedded")) {
            broker = new EmbeddedBroker(new EmbeddedBroker.Options(data.resolve("broker"),
                    settings.get("passerelle.broker.url"), settings.get("passerelle.broker.tcp-acceptor", ""),
                    settings.getInt("passerelle.broker.max-delivery-attempts"),
                    settings.getLong("passerelle.broker.redelivery-delay-ms"),
                    Double.parseDouble(settings.get("passerelle.broker.redelivery-multiplier")),
                    settings.getLong("passerelle.broker.max-redelivery-delay-ms"),
                    settings.getInt("passerelle.broker.journal-buffer-timeout-ns")));
            broker.start();
            started.push(broker);
        }
        brokerConnections = new ActiveMQConnectionFactory(settings.get("passerelle.broker.url"),
                emptyToNull(settings.get("passerelle.broker.user", "")),
                emptyToNull(settings.get("passerelle.broker.password", "")));
        started.push(brokerConnections);
        CachingConnectionFactory connections = new CachingConnectionFactory(brokerConnections);
        connections.setSessionCacheSize(20);
        started.push(connections::destroy);

        String url = settings.get("passerelle.db.url", "");
        database = Database.open(url.isEmpty() ? Database.h2Url(data) : url, settings.get("passerelle.db.user", ""),
                settings.get("passerelle.db.password", ""), settings.getInt("passerelle.db.pool-size"));
        started.push(database);
        flowStore = new FlowStore(database.dataSource(), Clock.systemUTC());
        originals = new OriginalStore(data);

        if (settings.getBoolean("passerelle.sftp.enabled")) {
            sftp = new SupplierSftpServer(accounts, settings.get("passerelle.sftp.host"),
                    settings.getInt("passerelle.sftp.port"), data.resolve("sftp"), data.resolve("spool").resolve("sftp"),
                    data.resolve("keys").resolve("sftp-host-key.ser"));
            sftp.start();
            started.push(sftp);
        }
        for (var commune : tenants.communes()) {
            java.nio.file.Files.createDirectories(data.resolve("drop").resolve(commune.id()));
        }

        Quarantine quarantine = new Quarantine(originals, data.resolve("quarantine"));
        IntakeService intake = new IntakeService(flowStore, originals, new FormatSniffer(), tenants,
                settings.getSize("passerelle.intake.max-size"), quarantine, Clock.systemUTC(),
                settings.getDuration("passerelle.handoff.grace"));
        InvoiceValidator validator = new InvoiceValidator(joinArtefacts(artefacts),
                settings.getSize("passerelle.validation.max-xml-size"), settings.getBoolean("passerelle.validation.pdfa"));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        JmsComponent jms = JmsComponent.jmsComponent(connections);
        jms.setTransacted(true);

        main = new Main();
        main.setOverrideProperties(settings.asProperties());
        main.configure().withRoutesIncludePattern("file:" + Path.of(settings.get("passerelle.routes.dir"))
                .toAbsolutePath() + "/*.yaml");
        main.bind("jms", jms);
        main.bind("metricsRegistry", meters);
        main.bind("intake", intake);
        main.bind("fileIntake", new FileIntake(tenants));
        main.bind("api", new FlowApi(new ApiAuth(tenants), flowStore, originals, new MultipartReader(), validator,
                tenants, data.resolve("tmp").resolve("validate"), settings.getDuration("passerelle.validation.max-wait")));
        main.bind("validation", new ValidationService(validator, flowStore, originals, quarantine, tenants,
                data.resolve("sftp")));
        main.bind("pes", new PesStage(flowStore, originals, quarantine, tenants, new PjBatcher(new PjBatcher.Limits(
                settings.getInt("passerelle.pes.batch.max-invoices"), settings.getSize("passerelle.pes.batch.max-size"),
                settings.getDuration("passerelle.pes.batch.max-wait"))),
                new RelayCheck(settings.getSize("passerelle.pes.relay.max-size")), data.resolve("tmp").resolve("pes"),
                Clock.systemUTC()));
        keys = new CommuneKeys(data, new CommuneKeyStore(), settings.getBoolean("passerelle.signature.demo-keys"));
        main.bind("signing", new SigningStage(flowStore, originals, tenants, keys, Clock.systemUTC(),
                settings.getDuration("passerelle.signature.sweep-grace")));
        certificates = new CertificateWatch(tenants.communes(), data, new CommuneKeyStore(),
                settings.getDuration("passerelle.signature.expiry-warning"), Clock.systemUTC(),
                settings.getBoolean("passerelle.signature.demo-keys"));
        CertificateMetrics.register(meters, certificates, tenants.communes());
        main.bind("certificates", certificates);
        main.bind("flowMetrics", new FlowMetrics(meters, flowStore, broker, QUEUES));
        main.start();
        started.push(main::stop);

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
        // demo communes get their keys at first start, in the background: RSA key generation takes a while
        Thread demoKeys = new Thread(() -> {
            try {
                int made = settings.getBoolean("passerelle.signature.demo-keys-at-start")
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

    public FlowStore flows() {
        return flowStore;
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

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
