package fr.passerelle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.intake.SupplierAccounts;
import fr.passerelle.tenant.ApiKeys;

class PasserelleCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    private int run(String... args) throws Exception {
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
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option --frobnicate");
    }

    @Test
    void hashesKeysAndPasswordsForTheConfiguration() throws Exception {
        assertThat(run("hash-key", "my-key")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(ApiKeys.hash("my-key"));
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
        Path config = tmp.resolve("config");
        Files.createDirectories(config);
        Files.copy(Path.of("config/application.properties"), config.resolve("application.properties"));
        Files.writeString(config.resolve("tenants.yaml"), Files.readString(Path.of("config/tenants.yaml"))
                .replace("21750101400013", "21750101400019"));
        int code = run("--config", config.toString(), "--set", "passerelle.data.dir=" + tmp.resolve("data"));
        assertThat(code).isEqualTo(2);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message).contains("tenants.yaml:11:").contains("SIRET '21750101400019'");
        assertThat(message).doesNotContain("\tat ");
    }
}
