package fr.passerelle.nodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import fr.passerelle.TestGateway;

/**
 * A real ActiveMQ Artemis broker in a process of its own, as production runs it: the distribution
 * from Maven (unpacked into target/artemis by the build), an instance made by {@code artemis create}
 * in a temporary folder with a user and logins required, its etc/broker.xml replaced by
 * docker/artemis/broker.xml — what the image does with etc-override/ — and {@code artemis run} on a
 * free port of the loopback. Closing stops it (SIGTERM, then SIGKILL).
 */
public final class ArtemisProcess implements AutoCloseable {

    /** The broker configuration compose ships, the one under test. */
    public static final Path BROKER_XML = Path.of("docker", "artemis", "broker.xml");

    public final String user;
    public final String password;
    public final int port;
    public final Path instance;
    private final Process process;
    private final Path log;

    private ArtemisProcess(Path instance, String user, String password, int port, Process process, Path log) {
        this.instance = instance;
        this.user = user;
        this.password = password;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Where the build unpacked the distribution (surefire's passerelle.artemis.home). */
    public static Path home() {
        String home = System.getProperty("passerelle.artemis.home");
        Path path = home == null ? Path.of("target", "artemis", "apache-artemis-2.44.0") : Path.of(home);
        if (!Files.isRegularFile(path.resolve("bin").resolve("artemis"))) {
            throw new IllegalStateException("No Artemis distribution at " + path.toAbsolutePath()
                    + ": run the tests through Maven (the build unpacks org.apache.activemq:apache-artemis:zip:bin)");
        }
        return path;
    }

    /**
     * Creates an instance under {@code folder} (which must not exist yet), applies
     * docker/artemis/broker.xml and starts it; answers once a login with the user succeeds.
     */
    public static ArtemisProcess start(Path folder, String name, String user, String password) throws Exception {
        Path home = home().toAbsolutePath();
        Path instance = folder.toAbsolutePath();
        Path logs = Path.of("target").toAbsolutePath();
        Files.createDirectories(logs);
        // what the image's docker-run.sh does (ANONYMOUS_LOGIN=false: --require-login), web console off,
        // plain NIO journal (no libaio needed), no protocol but CORE
        List<String> create = new ArrayList<>(List.of("sh", home.resolve("bin").resolve("artemis").toString(), "create",
                "--user", user, "--password", password, "--role", "amq", "--require-login", "--silent", "--no-web",
                "--nio", "--no-autotune", "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-hornetq-acceptor", "--java-memory", "512M", instance.toString()));
        Process creating = new ProcessBuilder(create).redirectErrorStream(true)
                .redirectOutput(logs.resolve("artemis-" + name + "-create.log").toFile()).start();
        if (!creating.waitFor(120, TimeUnit.SECONDS) || creating.exitValue() != 0) {
            creating.destroyForcibly();
            throw new IllegalStateException("artemis create failed: see target/artemis-" + name + "-create.log");
        }
        // etc-override/broker.xml over etc/broker.xml, as the image does after `artemis create`
        Files.copy(BROKER_XML, instance.resolve("etc").resolve("broker.xml"), StandardCopyOption.REPLACE_EXISTING);

        int port = TestGateway.freePort();
        Path log = logs.resolve("artemis-" + name + ".log");
        ProcessBuilder run = new ProcessBuilder("sh", instance.resolve("bin").resolve("artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // broker.xml's acceptor reads these system properties (0.0.0.0:61616 in compose)
        run.environment().put("JAVA_ARGS_APPEND", "-Dpasserelle.broker.host=127.0.0.1 -Dpasserelle.broker.port=" + port);
        ArtemisProcess broker = new ArtemisProcess(instance, user, password, port, run.start(), log);
        try {
            broker.awaitLogin(Duration.ofSeconds(90));
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    private void awaitLogin(Duration timeout) throws InterruptedException {
        String failure = TestGateway.await(this::tryLogin, f -> f == null || !process.isAlive(), timeout);
        if (!process.isAlive()) {
            throw new IllegalStateException("Artemis exited (" + process.exitValue() + "): see " + log);
        }
        if (failure != null) {
            throw new IllegalStateException("Artemis does not accept logins after " + timeout + " (" + failure
                    + "): see " + log);
        }
    }

    /** Null when a session with the user's credentials could be opened, else why not. */
    private String tryLogin() {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url())) {
            locator.setCallTimeout(5000);
            try (ClientSessionFactory factory = locator.createSessionFactory();
                 ClientSession session = factory.createSession(user, password, false, true, true, false, 0)) {
                return null;
            }
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
