package fr.passerelle;

import fr.passerelle.settings.Settings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.ops.Logs;
import fr.passerelle.tenant.ApiKeys;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.signature.SignCommand;
import fr.passerelle.signature.VerifyCommand;
import fr.passerelle.validation.ValidateCommand;

/** The command line: {@code serve} (the default) runs the gateway; the other commands are tools. */
public final class Passerelle {

    static final String USAGE = """
            Passerelle: a shared dematerialisation gateway for communes (invoices in, PES V2 to the Trésor public).

            Usage: java -jar gateway/target/passerelle.jar [COMMAND] [OPTIONS]
            (the demo, with the Hélios simulator: java -jar demo/target/passerelle-demo.jar [COMMAND] [OPTIONS])

            Commands:
              serve                   run the gateway (default); stops cleanly on Ctrl-C / SIGTERM
              health                  ask the running gateway of this configuration for its health
                                      (http://127.0.0.1:<camel.management.port>/observe/health): exit 0 when
                                      UP, 1 otherwise (the Docker image's HEALTHCHECK)
              hash-key KEY            print the hash of an API key, to put in config/tenants.yaml
              hash-password PASSWORD  print the hash of a supplier's SFTP password (config/sftp-accounts.yaml)
              validate FILE... [--json] [--all-layers] [--tenants FILE] [--commune ID]
                                      validate invoices without a running gateway: one report per file
                                      (one JSON object per line with --json); exit 0 all accepted,
                                      1 any rejected, 2 any could not be processed. Without --tenants the
                                      routing layer is skipped (and said so)
              verify FILE [--json]    verify the XAdES signatures of a PES flow: what is signed, signer, signing
                                      time, policy, algorithm, certificate window, valid or not and why;
                                      exit 0 all valid, 1 any invalid or none, 2 file not processable
              sign --commune ID FILE [-o OUT] [--tenants FILE] [--keys-dir DIR]
                                      sign a PES_Aller with the commune's key (per Bordereau, as Hélios wants);
                                      the signed flow on standard output unless -o is given
              help, --help            this text

            Options:
              --config DIR            configuration folder (default: config)
              --set KEY=VALUE         override one configuration value (repeatable), e.g. --set camel.server.port=8181

            Every configuration value can also be set by environment variable: passerelle.data.dir -> PASSERELLE_DATA_DIR.
            """;

    private Passerelle() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length >= 1 && args[0].equals("validate")) {
            return ValidateCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("verify")) {
            return VerifyCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("sign")) {
            return SignCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("bench")) {
            err.println("The benchmarks have a jar of their own: java -jar bench/target/passerelle-bench.jar "
                    + String.join(" ", List.of(args).subList(1, args.length)));
            return 2;
        }
        String command = "serve";
        Path configDir = Path.of("config");
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--config" -> configDir = Path.of(value(args, ++i, a));
                case "--set" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        err.println("--set expects KEY=VALUE, got: " + kv);
                        return 2;
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> {
                    if (a.startsWith("-")) {
                        err.println("Unknown option " + a + "\n\n" + USAGE);
                        return 2;
                    }
                    if (operands.isEmpty() && List.of("serve", "health", "hash-key", "hash-password").contains(a)) {
                        command = a;
                    } else {
                        operands.add(a);
                    }
                }
            }
        }
        switch (command) {
            case "hash-key", "hash-password" -> {
                if (operands.size() != 1) {
                    err.println(command + " takes exactly one argument");
                    return 2;
                }
                out.println(command.equals("hash-key") ? ApiKeys.hash(operands.get(0))
                        : SupplierAccounts.hashPassword(operands.get(0)));
                return 0;
            }
            case "health" -> {
                return health(Settings.load(configDir, System.getenv(), overrides), out, err);
            }
            default -> {
                return serve(Settings.load(configDir, System.getenv(), overrides), err);
            }
        }
    }

    private static int serve(Settings settings, PrintStream err) throws Exception {
        Logs.configure(settings.configDir(), settings.asProperties());
        Gateway gateway = new Gateway(settings);
        try {
            gateway.start();
        } catch (TenantConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // start-up problems (port taken, database unreachable) are said in one line, not a stack trace
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("Start-up failed: " + e.getMessage()
                    + (root != e ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : ""));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "passerelle-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The health of the gateway running on this machine with this configuration: 0 when UP. */
    private static int health(Settings settings, PrintStream out, PrintStream err) {
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + settings.get("camel.management.port")
                + "/observe/health");
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(5)).build()
                    .send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
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

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
