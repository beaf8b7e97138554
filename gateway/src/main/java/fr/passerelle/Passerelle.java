package fr.passerelle;

import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.ops.Logs;
import fr.passerelle.settings.CommandLines;
import fr.passerelle.settings.InvalidSettingException;
import fr.passerelle.settings.Settings;
import fr.passerelle.signature.SignCommand;
import fr.passerelle.signature.VerifyCommand;
import fr.passerelle.tenant.ApiKeys;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.validation.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** The command line: {@code serve} (the default) runs the gateway; the other commands are tools. */
@Command(name = "java -jar gateway/target/passerelle.jar", mixinStandardHelpOptions = true,
        versionProvider = Passerelle.ManifestVersion.class, sortOptions = false,
        description = {"Passerelle: a shared dematerialisation gateway for communes (invoices in, PES V2 to the Trésor "
                + "public). Without a command: serve.",
                "(the demo, with the Hélios simulator: java -jar demo/target/passerelle-demo.jar [COMMAND] [OPTIONS])"},
        footer = {"", "Every configuration value can also be set by environment variable: passerelle.data.dir -> "
                + "PASSERELLE_DATA_DIR. Each command has its --help."})
public final class Passerelle implements Callable<Integer> {

    /** A start-up that failed for another reason than the configuration (port taken, database unreachable). */
    static final int START_UP_FAILED = 1;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    private final PrintStream out;
    private final PrintStream err;

    private Passerelle(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Passerelle root = new Passerelle(out, err);
        CommandLine commandLine = new CommandLine(root)
                .addSubcommand(new Serve(root))
                .addSubcommand(new Health(root))
                .addSubcommand(new HashKey(out, err))
                .addSubcommand(new HashPassword(out))
                .addSubcommand(new NewKey(out, err))
                .addSubcommand(new ValidateCommand(out, err))
                .addSubcommand(new ConsoleUserCommand(root.config, out, err))
                .addSubcommand(new VerifyCommand(out, err))
                .addSubcommand(new SignCommand(out, err))
                .addSubcommand(new BenchMoved(err))
                .addSubcommand(new CommandLine.HelpCommand());
        return CommandLines.execute(CommandLines.configure(commandLine, out, err), args);
    }

    /** No command: serve, with the options given before it. */
    @Override
    public Integer call() throws Exception {
        return serve(config.settings(null), err);
    }

    /** {@code --config} and {@code --set}, accepted before the command (as ever) and after serve or health. */
    static final class ConfigOptions {

        @Option(names = "--config", paramLabel = "DIR", description = "configuration folder (default: config)")
        Path configDir;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "override one configuration value (repeatable), e.g. --set camel.server.port=8181")
        Map<String, String> overrides = new LinkedHashMap<>();

        /** These options over the ones given before the command ({@code outer}, may be null). */
        Settings settings(ConfigOptions outer) {
            Map<String, String> merged = new LinkedHashMap<>();
            Path dir = configDir;
            if (outer != null) {
                merged.putAll(outer.overrides);
                dir = dir != null ? dir : outer.configDir;
            }
            merged.putAll(overrides);
            return Settings.load(dir != null ? dir : Path.of("config"), System.getenv(), merged);
        }
    }

    @Command(name = "serve", sortOptions = false,
            description = "Run the gateway (the default); stops cleanly on Ctrl-C / SIGTERM.")
    static final class Serve implements Callable<Integer> {

        @Mixin
        CommandLines.HelpOption help;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        private final Passerelle root;

        Serve(Passerelle root) {
            this.root = root;
        }

        @Override
        public Integer call() throws Exception {
            return serve(config.settings(root.config), root.err);
        }
    }

    @Command(name = "health", sortOptions = false,
            description = {"Ask the running gateway of this configuration for its health "
                    + "(http://127.0.0.1:<camel.management.port>/observe/health).",
                    "Exit 0 when UP, 1 otherwise (the Docker image's HEALTHCHECK)."})
    static final class Health implements Callable<Integer> {

        @Mixin
        CommandLines.HelpOption help;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        private final Passerelle root;

        Health(Passerelle root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            return health(config.settings(root.config), root.out, root.err);
        }
    }

    @Command(name = "hash-key",
            description = "Print the hash of an API key, to put in config/tenants.yaml (new-key makes a strong key).")
    static final class HashKey implements Callable<Integer> {

        @Mixin
        CommandLines.HelpOption help;

        /** Shorter keys can be guessed; the demo's own (demo-key-<id>) are this long. */
        static final int MINIMUM_LENGTH = 16;

        @Parameters(paramLabel = "KEY", description = "the API key, at least " + MINIMUM_LENGTH + " characters")
        String key;

        private final PrintStream out;
        private final PrintStream err;

        HashKey(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (ApiKeys.isHash(key)) {
                err.println("This is already a hash: it goes in config/tenants.yaml as it is.");
                return CommandLines.USAGE;
            }
            if (key.length() < MINIMUM_LENGTH) {
                err.println("An API key of " + key.length() + " characters is too easy to guess (at least "
                        + MINIMUM_LENGTH + "): new-key makes a strong one and prints its hash.");
                return CommandLines.USAGE;
            }
            out.println(ApiKeys.hash(key));
            return 0;
        }
    }

    @Command(name = "hash-password",
            description = "Print the hash of a supplier's SFTP password (config/sftp-accounts.yaml).")
    static final class HashPassword implements Callable<Integer> {

        @Mixin
        CommandLines.HelpOption help;

        @Parameters(paramLabel = "PASSWORD")
        String password;

        private final PrintStream out;

        HashPassword(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            out.println(SupplierAccounts.hashPassword(password));
            return 0;
        }
    }

    @Command(name = "new-key",
            description = {"Make a strong random API key (32 random bytes, URL-safe base64): prints the key, once, "
                    + "and its hash for apiKeys in config/tenants.yaml.",
                    "Only the hash is kept: give the key to its holder now, it cannot be recovered."})
    static final class NewKey implements Callable<Integer> {

        @Mixin
        CommandLines.HelpOption help;

        static final int RANDOM_BYTES = 32;

        private final PrintStream out;
        private final PrintStream err;

        NewKey(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            byte[] random = new byte[RANDOM_BYTES];
            new SecureRandom().nextBytes(random);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            out.println("key:  " + key);
            out.println("hash: " + ApiKeys.hash(key));
            err.println("Give the key to its holder now (it is shown once); put the hash in config/tenants.yaml "
                    + "(apiKeys of the commune, or of an operator).");
            return 0;
        }
    }

    /** The benchmarks left the gateway for a jar of their own; the old command says where. */
    @Command(name = "bench", hidden = true)
    static final class BenchMoved implements Callable<Integer> {

        @Unmatched
        List<String> arguments = new ArrayList<>();

        private final PrintStream err;

        BenchMoved(PrintStream err) {
            this.err = err;
        }

        @Override
        public Integer call() {
            err.println("The benchmarks have a jar of their own: java -jar bench/target/passerelle-bench.jar "
                    + String.join(" ", arguments));
            return CommandLines.USAGE;
        }
    }

    /** The jar's Implementation-Version (Maven puts the project's version there); "dev" when run from classes. */
    static final class ManifestVersion implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = Passerelle.class.getPackage().getImplementationVersion();
            return new String[] {"Passerelle " + (version == null ? "dev" : version)};
        }
    }

    private static int serve(Settings settings, PrintStream err) throws Exception {
        Logs.configure(settings.configDir(), settings.asProperties());
        // checked before anything starts: a taken port would otherwise be found after the broker and database
        if (portsTaken(settings, err)) {
            return START_UP_FAILED;
        }
        Gateway gateway = new Gateway(settings);
        try {
            gateway.start();
        } catch (TenantConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return CommandLines.USAGE;
        } catch (Exception e) {
            return startUpFailed(e, gateway, settings, err);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "passerelle-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Whether another process holds a port of this configuration; each such port is said, with its setting. */
    private static boolean portsTaken(Settings settings, PrintStream err) {
        List<ListeningPorts.Port> taken = ListeningPorts.inUse(settings);
        taken.forEach(port -> err.println(port.inUseMessage()));
        return !taken.isEmpty();
    }

    /** Start-up problems are said in one line, not a stack trace; a port taken meanwhile by its setting. */
    private static int startUpFailed(Exception e, Gateway gateway, Settings settings, PrintStream err) {
        InvalidSettingException invalid = CommandLines.invalidSetting(e);
        if (invalid != null) {
            err.println(invalid.getMessage());
            return CommandLines.USAGE;
        }
        Throwable root = e;
        BindException bind = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof BindException found && bind == null) {
                bind = found;
            }
        }
        if (bind != null) {
            // the ports this gateway did open are released first, so that only another process's count as taken
            try {
                gateway.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            if (portsTaken(settings, err)) {
                return START_UP_FAILED;
            }
            err.println("Start-up failed: " + bind.getMessage() + "; the ports are set by "
                    + String.join(", ", ListeningPorts.of(settings).stream().map(ListeningPorts.Port::setting).toList()));
            return START_UP_FAILED;
        }
        err.println("Start-up failed: " + e.getMessage()
                + (root != e ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : ""));
        return START_UP_FAILED;
    }

    /** The health of the gateway running on this machine with this configuration: 0 when UP. */
    private static int health(Settings settings, PrintStream out, PrintStream err) {
        URI uri = URI.create("http://127.0.0.1:" + settings.getInt("camel.management.port") + "/observe/health");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            boolean up = response.statusCode() == 200 && response.body().replace(" ", "").startsWith("{\"status\":\"UP\"");
            (up ? out : err).println(response.body());
            return up ? 0 : 1;
        } catch (java.io.IOException e) {
            err.println("No answer from " + uri + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
