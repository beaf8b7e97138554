package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;

/** The suppliers' SFTP server and the drop folders: what they refuse and what waits. */
class SupplierSftpTest {

    @TempDir
    static Path data;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static Session session(String password) throws JSchException {
        return gw.supplierSession(password);
    }

    private static void upload(String name, InputStream content) throws Exception {
        gw.uploadBySftp(name, content);
    }

    @Test
    void anInvoiceForABuyerWhoIsNoneOfOurCommunesWaitsUnrouted() throws Exception {
        NotifyBuilder taken = new NotifyBuilder(gw.gateway.camel()).fromRoute("ingest-sftp").whenDone(1).create();
        upload("pour-qui.xml", Files.newInputStream(Samples.sample("invoices/ubl/ubl-tc434-example2.xml")));
        assertThat(taken.matches(20, TimeUnit.SECONDS)).isTrue();
        Flow flow = gw.gateway.flows().withStatus(FlowStatus.UNROUTED).stream()
                .filter(f -> f.fileName().equals("pour-qui.xml")).findFirst().orElseThrow();
        assertThat(flow.communeId()).isNull();
        assertThat(flow.rejection().rule()).isEqualTo("ROUTING-BUYER");
        assertThat(flow.rejection().message()).contains("987654321");
        assertThat(gw.gateway.broker().depth("passerelle.validate")).isZero();
    }

    @Test
    void aSupplierIsConfinedToItsHomeAndReportsAreNotTakenIn() throws Exception {
        Session session = session("demo-supplier-password");
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            assertThat(sftp.pwd()).isEqualTo("/");
            assertThatThrownBy(() -> sftp.get("../../config/tenants.yaml").readAllBytes())
                    .isInstanceOfAny(SftpException.class, IOException.class);
            assertThatThrownBy(() -> sftp.get("/../../../etc/passwd").readAllBytes())
                    .isInstanceOfAny(SftpException.class, IOException.class);
            sftp.put(new ByteArrayInputStream("rapport".getBytes()), "reports/note.json");
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
        assertThat(data.resolve("sftp/fournisseur-demo/reports/note.json")).exists();
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> session("wrong")).isInstanceOf(JSchException.class);
    }

    @Test
    void aDropFolderFileWithBadContentBecomesARejectedFlow() throws Exception {
        NotifyBuilder taken = new NotifyBuilder(gw.gateway.camel()).fromRoute("ingest-drop").whenDone(1).create();
        Files.writeString(data.resolve("drop/noirval/casse.xml"), "<PES_Aller><EnTetePES></PES_Aller>");
        assertThat(taken.matches(20, TimeUnit.SECONDS)).isTrue();
        Flow flow = gw.gateway.flows().withStatus(FlowStatus.REJECTED).stream()
                .filter(f -> f.fileName().equals("casse.xml")).findFirst().orElseThrow();
        assertThat(flow.communeId()).isEqualTo("noirval");
        assertThat(flow.rejection().rule()).isEqualTo("XML-WELLFORMED");
        assertThat(data.resolve("quarantine").resolve(flow.id() + "_casse.xml")).exists();
    }
}
