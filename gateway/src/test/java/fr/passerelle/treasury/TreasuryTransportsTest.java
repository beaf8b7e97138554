package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.passerelle.treasury.TreasuryEndpoint.Protocol;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/** The client's file operations and failures, against the embedded simulator (no mocks). */
class TreasuryTransportsTest {

    @TempDir
    Path root;
    HeliosSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private static TreasuryEndpoint endpoint(Protocol p, int port, String password, Duration readTimeout) {
        return new TreasuryEndpoint("helios-simulator", p, "127.0.0.1", port, "passerelle", password, "depot", "retour",
                "HELIOS", Duration.ofSeconds(3), readTimeout);
    }

    private TreasuryEndpoint endpoint(Protocol p) {
        return endpoint(p, p == Protocol.SFTP ? sim.sftpPort() : sim.ftpPort(), "secret", Duration.ofSeconds(10));
    }

    private void startSimulator() throws Exception {
        sim = new HeliosSimulator(new HeliosSimulator.Options(root, "127.0.0.1", 0, 0, "passerelle", "secret",
                Duration.ZERO, root.resolve(".state/host.key"))).start();
    }

    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void pMsgIsPesCodColIdPostCodBud() {
        assertThat(SiteCommands.pMsg("100", "031007", "00")).isEqualTo("PES#100#031007#00");
    }

    @Test
    void anEndpointWithoutTimeoutsIsRefused() {
        assertThatThrownBy(() -> new TreasuryEndpoint("x", Protocol.FTP, "h", 21, "u", "p", "d", "r", "D", Duration.ZERO,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThat(endpoint(Protocol.FTP, 21, "secret", Duration.ofSeconds(1)).toString()).doesNotContain("secret");
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void uploadOverwritesRenameReplacesAndDeleteRemoves(Protocol p) throws Exception {
        startSimulator();
        try (TreasuryConnection c = TreasuryTransports.open(endpoint(p))) {
            c.announce("HELIOS", "PES#100#031007#00");
            assertThat(c.exists("a.part")).isFalse();
            c.upload("a.part", text("premier contenu, plus long"));
            c.upload("a.part", text("second"));
            assertThat(sim.depot().resolve("a.part")).hasContent("second");
            c.upload("b.tmp", text("ancien"));
            c.rename("a.part", "b.tmp");
            assertThat(c.exists("a.part")).isFalse();
            assertThat(c.exists("b.tmp")).isTrue();
            assertThat(sim.depot().resolve("b.tmp")).hasContent("second");
            c.delete("b.tmp");
            assertThat(c.exists("b.tmp")).isFalse();
            assertThatThrownBy(() -> c.delete("absent.tmp")).isInstanceOf(TreasuryTransferException.class)
                    .hasMessageStartingWith("delete of absent.tmp to helios-simulator (127.0.0.1:");
        }
        assertThat(sim.deliveries()).isEmpty(); // none of these names is a flow
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aWrongPasswordFailsTheLogin(Protocol p) throws Exception {
        startSimulator();
        int port = p == Protocol.SFTP ? sim.sftpPort() : sim.ftpPort();
        assertThatThrownBy(() -> TreasuryTransports.open(endpoint(p, port, "faux", Duration.ofSeconds(5))))
                .isInstanceOf(TreasuryTransferException.class).hasMessageContaining("login of passerelle")
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void nobodyListeningFailsTheConnection(Protocol p) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> TreasuryTransports.open(endpoint(p, closed, "secret", Duration.ofSeconds(2))))
                .isInstanceOf(TreasuryTransferException.class).hasMessageStartingWith("connection to helios-simulator (127.0.0.1:" + port + ")");
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aServerThatNeverGreetsFailsWithinTheTimeouts(Protocol p) throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepted, never answered
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> TreasuryTransports.open(endpoint(p, silent.getLocalPort(), "secret",
                    Duration.ofSeconds(1)))).isInstanceOf(TreasuryTransferException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
