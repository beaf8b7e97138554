package fr.passerelle.treasury.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar helios-simulator.jar [--root DIR] [--ftp-port N] [--sftp-port N] …}: the simulator alone,
 * until the process is stopped, for a gateway run elsewhere (the demo starts it in the gateway's process).
 */
@Command(name = "helios-simulator", mixinStandardHelpOptions = true,
        description = "A stand-in for the Trésor public's Hélios reception: flows put in depot/ by FTP or SFTP are "
                + "checked and acknowledged by a PES_ACQUIT in retour/. Flows sent to it never reach the Trésor public.")
public final class SimulatorMain implements Callable<Integer> {

    @Option(names = "--root", description = "where depot/ and retour/ are kept (default: ${DEFAULT-VALUE})")
    Path root = Path.of("data", "helios-simulator");

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--ftp-port", description = "FTP port, 0 for any free one, -1 for none (default: ${DEFAULT-VALUE})")
    int ftpPort = 2121;

    @Option(names = "--sftp-port", description = "SFTP port, 0 for any free one, -1 for none (default: ${DEFAULT-VALUE})")
    int sftpPort = 2223;

    @Option(names = "--user", description = "the account the gateway signs in with (default: ${DEFAULT-VALUE})")
    String user = "passerelle";

    @Option(names = "--password", description = "its password (default: ${DEFAULT-VALUE})")
    String password = "simulateur";

    @Option(names = "--ack-delay", description = "how long before a flow is acknowledged, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration ackDelay = Duration.ofSeconds(2);

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        HeliosSimulator simulator = new HeliosSimulator(new HeliosSimulator.Options(root, host, ftpPort, sftpPort,
                user, password, ackDelay, null)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "helios-simulator-stop"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        // its own logging configuration (in its jar), before any logger: not a logback.xml, which the demo's
        // class path would then hold twice, the gateway's and this one
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "helios-simulator-logback.xml");
        }
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }
}
