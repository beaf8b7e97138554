package fr.passerelle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.tenant.ApiKeys;

class PasserelleCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    private int run(String... args) {
        return Passerelle.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve", "hash-key", "--config", "--set");
    }

    @Test
    void unknownOptionsAreRefusedWithTheUsage() throws Exception {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("Unknown option: '--frobnicate'");
        err.reset();
        assertThat(run("--set", "camel.server.port")).as("--set without =").isEqualTo(2);
        assertThat(err()).contains("KEY=VALUE");
    }

    @Test
    void anUnknownCommandWordStartsNothingAndSuggestsTheCommand() throws Exception {
        Path data = tmp.resolve("data");
        int port = TestGateway.freePort();
        long start = System.nanoTime();
        int code = run("--config", configCopy().toString(), "--set", "passerelle.data.dir=" + data,
                "--set", "camel.server.port=" + port, "valdate", "f.xml");
        assertThat(code).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("nothing was started").isLessThan(Duration.ofSeconds(10));
        assertThat(err()).contains("valdate").contains("Did you mean").contains("validate");
        assertThat(data).doesNotExist();
        try (ServerSocket stillFree = new ServerSocket(port)) {
            assertThat(stillFree.isBound()).isTrue();
        }
    }

    @Test
    void eachCommandHasItsHelpAndTheJarItsVersion() throws Exception {
        assertThat(run("validate", "--help")).isZero();
        assertThat(out()).contains("--all-layers", "--tenants", "--commune");
        out.reset();
        assertThat(run("help", "sign")).isZero();
        assertThat(out()).contains("--commune", "--keys-dir", "--whole");
        out.reset();
        assertThat(run("--version")).isZero();
        // run from target/classes there is no manifest: the version is then "dev"
        assertThat(out().trim()).isEqualTo("Passerelle dev");
    }

    @Test
    void theBenchmarksArePointedToTheirOwnJar() throws Exception {
        assertThat(run("bench", "treasury", "--flows", "10")).isEqualTo(2);
        assertThat(err()).contains("java -jar bench/target/passerelle-bench.jar treasury --flows 10");
    }

    @Test
    void newKeyPrintsAStrongKeyOnceAndTheHashThatAcceptsIt() throws Exception {
        assertThat(run("new-key")).isZero();
        String key = line(out(), "key:");
        String hash = line(out(), "hash:");
        assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
        assertThat(ApiKeys.isHash(hash)).isTrue();
        assertThat(ApiKeys.matches(key, hash)).isTrue();
        assertThat(ApiKeys.matches(key + "x", hash)).isFalse();
        out.reset();
        run("new-key");
        assertThat(line(out(), "key:")).isNotEqualTo(key);
    }

    @Test
    void hashKeyRefusesAHashOrAGuessableKey() throws Exception {
        assertThat(run("hash-key", "short")).isEqualTo(2);
        assertThat(err()).contains("new-key");
        assertThat(run("hash-key", ApiKeys.hash("demo-key-aubeval"))).isEqualTo(2);
        assertThat(err()).contains("already a hash");
        assertThat(out()).isEmpty();
    }

    @Test
    void aPortInUseIsNamedWithItsSetting() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            int code = run("--config", configCopy().toString(), "--set", "passerelle.data.dir=" + data,
                    "--set", "camel.management.port=" + TestGateway.freePort(),
                    "--set", "passerelle.sftp.port=" + TestGateway.freePort(), "serve", "--set", "camel.server.port=" + port);
            assertThat(code).isEqualTo(1);
            assertThat(err()).contains("Port " + port + " is already in use (camel.server.port): set another with "
                    + "--set camel.server.port=… or CAMEL_SERVER_PORT");
        }
        assertThat(data).as("nothing was started").doesNotExist();
    }

    @Test
    void aMalformedSettingIsNamedInOneLine() throws Exception {
        Path data = tmp.resolve("data");
        int code = run("--config", configCopy().toString(), "--set", "passerelle.data.dir=" + data,
                "--set", "passerelle.sftp.port=abc");
        assertThat(code).isEqualTo(2);
        assertThat(err().trim()).isEqualTo("passerelle.sftp.port=abc (--set): not a whole number");
        assertThat(data).doesNotExist();
        err.reset();
        assertThat(run("health", "--set", "camel.management.port=x9876")).isEqualTo(2);
        assertThat(err().trim()).isEqualTo("camel.management.port=x9876 (--set): not a whole number");
    }

    @Test
    void hashesKeysAndPasswordsForTheConfiguration() throws Exception {
        assertThat(run("hash-key", "a-key-long-enough-to-keep")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(ApiKeys.hash("a-key-long-enough-to-keep"));
        out.reset();
        assertThat(run("hash-password", "s3cret")).isZero();
        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(hash).startsWith("pbkdf2-sha256:");
        Path accounts = tmp.resolve("sftp-accounts.yaml");
        Files.writeString(accounts, "accounts:\n  - user: acme\n    password: \"" + hash + "\"\n");
        SupplierAccounts loaded = SupplierAccounts.load(accounts);
        assertThat(loaded.checkPassword("acme", "s3cret")).isTrue();
        assertThat(loaded.checkPassword("acme", "S3cret")).isFalse();
    }

    @Test
    void healthAsksTheManagementPortAndSaysUpByItsExitCode() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>(
                "{\"status\":\"UP\"}");
        server.createContext("/observe/health", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get().contains("DOWN") ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String port = "camel.management.port=" + server.getAddress().getPort();
            assertThat(run("health", "--set", port)).isZero();
            answer.set("{\"status\":\"DOWN\"}");
            assertThat(run("health", "--set", port)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("DOWN");
        } finally {
            server.stop(0);
        }
        assertThat(run("health", "--set", "camel.management.port=" + TestGateway.freePort())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No answer from http://127.0.0.1:");
    }

    @Test
    void aBadCommuneConfigurationStopsStartUpNamingTheLine() throws Exception {
        Path config = configCopy();
        Files.writeString(config.resolve("tenants.yaml"), Files.readString(Path.of("config/tenants.yaml"))
                .replace("21750101400013", "21750101400019"));
        // free ports: the shipped ones may be taken on this machine, and are checked before the communes
        int code = run("--config", config.toString(), "--set", "passerelle.data.dir=" + tmp.resolve("data"),
                "--set", "camel.server.port=" + TestGateway.freePort(),
                "--set", "camel.management.port=" + TestGateway.freePort(),
                "--set", "passerelle.sftp.port=" + TestGateway.freePort());
        assertThat(code).isEqualTo(2);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message).contains("tenants.yaml:11:").contains("SIRET '21750101400019'");
        assertThat(message).doesNotContain("\tat ");
    }

    /** The shipped application.properties in a folder of this test's own. */
    private Path configCopy() throws Exception {
        Path config = tmp.resolve("config");
        Files.createDirectories(config);
        Files.copy(Path.of("config/application.properties"), config.resolve("application.properties"));
        return config;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String line(String text, String label) {
        return text.lines().filter(l -> l.startsWith(label)).map(l -> l.substring(label.length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no line " + label + " in " + text));
    }
}
