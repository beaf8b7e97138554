package fr.passerelle.chorus.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar chorus-simulator.jar [--port N] [--seed-folder DIR --structure-id ID] …}: the simulator alone,
 * until the process is stopped, for a gateway run elsewhere.
 */
@Command(name = "chorus-simulator", mixinStandardHelpOptions = true,
        description = "A stand-in for Chorus Pro's API behind PISTE: OAuth token, cpro-account, the recipient's invoice "
                + "services. Nothing sent to it reaches Chorus Pro.")
public final class SimulatorMain implements Callable<Integer> {

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port = 8095;

    @Option(names = "--client-id", description = "the PISTE OAuth client (default: ${DEFAULT-VALUE})")
    String clientId = "passerelle";

    @Option(names = "--client-secret", description = "its secret (default: ${DEFAULT-VALUE})")
    String clientSecret = "passerelle-secret";

    @Option(names = "--login", description = "the technical account's login (default: ${DEFAULT-VALUE})")
    String login = "passerelle-tech";

    @Option(names = "--password", description = "its password (default: ${DEFAULT-VALUE})")
    String password = "passerelle-tech-password";

    @Option(names = "--token-lifetime", description = "how long a token is valid, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration tokenLifetime = Duration.ofHours(1);

    @Option(names = "--seed-folder", description = "deposit every file of this folder at start, as invoices received")
    Path seedFolder;

    @Option(names = "--structure-id", description = "the idDestinataire the seeded invoices are for (default: ${DEFAULT-VALUE})")
    long structureId = 1000;

    @Option(names = "--structure-code", description = "its code, e.g. a SIRET (default: ${DEFAULT-VALUE})")
    String structureCode = "21000000000000";

    private final CountDownLatch stopped = new CountDownLatch(1);

    ChorusProSimulator.Options options() {
        return new ChorusProSimulator.Options(host, port, clientId, clientSecret, Map.of(login, password), tokenLifetime,
                ChorusProSimulator.DEFAULT_MAX_DOWNLOAD_BYTES);
    }

    @Override
    public Integer call() throws Exception {
        ChorusProSimulator simulator = new ChorusProSimulator(options()).start();
        if (seedFolder != null) {
            simulator.seed(structureId, structureCode, seedFolder);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "chorus-simulator-stop"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        // its own logging configuration (in its jar), before any logger; not a logback.xml, which a class path
        // holding the gateway too would then hold twice
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "chorus-simulator-logback.xml");
        }
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }
}
