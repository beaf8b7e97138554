package fr.passerelle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port another server holds when the gateway binds it stops the start-up (Camel's HTTP servers
 * alone would only log it and start without it, Artemis would log it and not start at all), and the
 * ports tests pick are never picked twice.
 */
class ListeningPortsTest {

    @TempDir
    Path data;

    @Test
    void aManagementPortTakenAtBindTimeFailsTheStartUp() throws Exception {
        // held on the address the gateway binds, as the Hélios simulator's FTP server once held it in CI
        try (ServerSocket taken = new ServerSocket(TestGateway.freePort(), 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestGateway.start(data,
                    Map.of("camel.management.port", String.valueOf(taken.getLocalPort()))).close())
                    .isInstanceOf(BindException.class).hasMessageContaining(":" + taken.getLocalPort() + " is not listening");
        }
    }

    @Test
    void aBrokerAcceptorPortTakenAtBindTimeFailsTheStartUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(TestGateway.freePort(), 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestGateway.start(data, Map.of("passerelle.broker.tcp-acceptor",
                    "tcp://127.0.0.1:" + taken.getLocalPort())).close())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("broker did not start")
                    .hasMessageContaining(":" + taken.getLocalPort() + " (passerelle.broker.tcp-acceptor)");
        }
    }

    @Test
    void freePortsAreNeverHandedOutTwiceNorFromTheKernelsEphemeralRange() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertThat(ports.add(TestGateway.freePort())).isTrue();
        }
        int rangeStart = TestGateway.ephemeralRangeStart();
        try (ServerSocket kernelPick = new ServerSocket(0)) {
            assertThat(rangeStart).as("the ephemeral range as read").isBetween(1024, kernelPick.getLocalPort());
        }
        assumeTrue(rangeStart > 11_000, "an ephemeral range that starts low: freePort takes the kernel's ports");
        assertThat(ports).allSatisfy(port -> assertThat(port).isLessThan(rangeStart));
    }
}
