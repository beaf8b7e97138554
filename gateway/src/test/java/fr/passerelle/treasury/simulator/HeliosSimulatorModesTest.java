package fr.passerelle.treasury.simulator;

import static fr.passerelle.treasury.simulator.TestFlows.P_MSG;
import static fr.passerelle.treasury.simulator.TestFlows.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.passerelle.pes.PesSchemas;
import fr.passerelle.treasury.TreasuryConnection;
import fr.passerelle.treasury.TreasuryEndpoint.Protocol;
import fr.passerelle.treasury.TreasuryTransferException;
import fr.passerelle.treasury.TreasuryTransports;

/** Each misbehaviour of the simulator, as the gateway's client meets it, over FTP and SFTP. */
class HeliosSimulatorModesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofSeconds(1);

    @TempDir
    Path root;
    HeliosSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private TreasuryConnection open(Protocol protocol, Duration readTimeout) throws TreasuryTransferException {
        return TreasuryTransports.open(TestFlows.endpoint(sim, protocol, readTimeout));
    }

    /** A flow sent in NORMAL mode: once its acquittement is there, everything sent before was processed. */
    private void marker(Protocol protocol, int acksExpected) throws Exception {
        sim.mode(HeliosSimulator.Mode.NORMAL);
        String marker = TestFlows.nomFic();
        send(sim, protocol, marker, TestFlows.pjFlow(marker, TestFlows.idUnique()), P_MSG);
        assertThat(sim.awaitAcquittements(acksExpected, WAIT)).hasSize(acksExpected);
        assertThat(sim.acquittementsWritten().get(acksExpected - 1).getFileName().toString()).contains(marker);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void refusedConnectionsMakeOpenFail(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.mode(HeliosSimulator.Mode.REFUSE_CONNECTIONS);

        assertThatThrownBy(() -> open(protocol, SHORT)).isInstanceOf(TreasuryTransferException.class)
                .hasMessageContaining("helios-simulator (127.0.0.1:");
        assertThat(sim.refusedConnections()).isEqualTo(1);

        sim.mode(HeliosSimulator.Mode.NORMAL);
        open(protocol, SHORT).close();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void aHangingUploadFailsByReadTimeoutAndCloseStillReturnsPromptly(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.mode(HeliosSimulator.Mode.HANG);
        String nomFic = TestFlows.nomFic();
        byte[] flow = TestFlows.pjFlow(nomFic, TestFlows.idUnique());

        try (TreasuryConnection c = open(protocol, SHORT)) {
            assertThatThrownBy(() -> c.upload(nomFic + ".xml", new ByteArrayInputStream(flow)))
                    .isInstanceOf(TreasuryTransferException.class).hasMessageContaining("upload of " + nomFic + ".xml");
        }
        long start = System.nanoTime();
        sim.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(sim.deliveries()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void droppedFlowsAreRecordedButNeverAcknowledged(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.mode(HeliosSimulator.Mode.DROP);
        String nomFic = TestFlows.nomFic();
        send(sim, protocol, nomFic, TestFlows.pjFlow(nomFic, TestFlows.idUnique()), P_MSG);
        assertThat(sim.awaitDeliveries(nomFic, 1, WAIT)).isTrue();

        marker(protocol, 1); // the marker's acquittement is the only one
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void droppedAcquittementsAreWrittenWhenAskedOnceOnly(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.mode(HeliosSimulator.Mode.DROP);
        String dropped = TestFlows.nomFic();
        send(sim, protocol, dropped, TestFlows.pjFlow(dropped, TestFlows.idUnique()), P_MSG);
        assertThat(sim.awaitDeliveries(dropped, 1, WAIT)).isTrue();
        marker(protocol, 1); // processed: the dropped flow is waiting for its acquittement

        assertThat(sim.acknowledgePending()).isEqualTo(1);
        assertThat(sim.acquittementsWritten()).hasSize(2);
        Path ack = sim.acquittementsWritten().get(1);
        assertThat(ack.getFileName().toString()).endsWith(dropped + "_OK.xml");
        assertThat(PesSchemas.validate(PesSchemas.acquit(), ack).valid()).isTrue();
        assertThat(sim.acknowledgePending()).isZero();
        assertThat(sim.acquittementsWritten()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void lateAcquittementsComeAfterLateDelay(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.lateDelay(Duration.ofSeconds(3));
        sim.mode(HeliosSimulator.Mode.LATE);
        String nomFic = TestFlows.nomFic();
        long sent = System.nanoTime();
        send(sim, protocol, nomFic, TestFlows.pjFlow(nomFic, TestFlows.idUnique()), P_MSG);

        assertThat(sim.awaitAcquittements(1, WAIT)).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void garbageIsAnUnparseableFileNamedLikeAnAcquittement(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        sim.mode(HeliosSimulator.Mode.GARBAGE);
        String nomFic = TestFlows.nomFic();
        send(sim, protocol, nomFic, TestFlows.pjFlow(nomFic, TestFlows.idUnique()), P_MSG);

        Path garbage = sim.awaitAcquittements(1, WAIT).get(0);
        assertThat(garbage.getFileName().toString()).contains("ACK").contains(nomFic);
        assertThat(PesSchemas.validate(PesSchemas.acquit(), garbage).wellFormed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void hangAfterRenameDeliversWhileTheClientsRenameTimesOut(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        try (TreasuryConnection c = open(protocol, SHORT)) {
            c.announce("HELIOS", P_MSG);
            c.upload(nomFic + ".part", new ByteArrayInputStream(TestFlows.pjFlow(nomFic, TestFlows.idUnique())));
            sim.mode(HeliosSimulator.Mode.HANG_AFTER_RENAME);
            assertThatThrownBy(() -> c.rename(nomFic + ".part", nomFic + ".xml"))
                    .isInstanceOf(TreasuryTransferException.class).hasMessageContaining("rename of " + nomFic + ".part");
        }
        assertThat(sim.awaitDeliveries(nomFic, 1, WAIT)).isTrue();
        assertThat(sim.depot().resolve(nomFic + ".xml")).exists();
        assertThat(sim.depot().resolve(nomFic + ".part")).doesNotExist();
        sim.mode(HeliosSimulator.Mode.NORMAL);
        assertThat(sim.awaitAcquittements(1, WAIT).get(0).getFileName().toString()).endsWith(nomFic + "_OK.xml");
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"FTP", "SFTP"})
    void hangBeforeRenameLeavesThePartFileAndNoDelivery(Protocol protocol) throws Exception {
        sim = TestFlows.start(root);
        String nomFic = TestFlows.nomFic();
        try (TreasuryConnection c = open(protocol, SHORT)) {
            c.announce("HELIOS", P_MSG);
            c.upload(nomFic + ".part", new ByteArrayInputStream(TestFlows.pjFlow(nomFic, TestFlows.idUnique())));
            sim.mode(HeliosSimulator.Mode.HANG_BEFORE_RENAME);
            assertThatThrownBy(() -> c.rename(nomFic + ".part", nomFic + ".xml"))
                    .isInstanceOf(TreasuryTransferException.class);
        }
        sim.mode(HeliosSimulator.Mode.NORMAL);
        marker(protocol, 1);
        assertThat(sim.deliveriesOf(nomFic)).isZero();
        assertThat(sim.depot().resolve(nomFic + ".part")).exists();
        assertThat(sim.depot().resolve(nomFic + ".xml")).doesNotExist();
    }
}
