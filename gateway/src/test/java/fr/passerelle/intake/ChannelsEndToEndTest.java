package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citrusframework.actions.ReceiveMessageAction.Builder.receive;
import static org.citrusframework.actions.SendMessageAction.Builder.send;
import static org.citrusframework.dsl.MessageSupport.MessageBodySupport.fromBody;
import static org.citrusframework.http.actions.HttpActionBuilder.http;
import static org.citrusframework.validation.json.JsonPathMessageValidationContext.Builder.jsonPath;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.ftpserver.ftplet.DataType;
import org.citrusframework.TestCaseRunner;
import org.citrusframework.annotations.CitrusResource;
import org.citrusframework.annotations.CitrusTest;
import org.citrusframework.ftp.client.SftpClient;
import org.citrusframework.ftp.endpoint.builder.SftpEndpoints;
import org.citrusframework.ftp.message.FtpMessage;
import org.citrusframework.http.client.HttpClient;
import org.citrusframework.http.endpoint.builder.HttpEndpoints;
import org.citrusframework.jms.endpoint.JmsEndpoint;
import org.citrusframework.jms.endpoint.JmsEndpoints;
import org.citrusframework.junit.jupiter.CitrusSupport;
import org.citrusframework.message.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;

/**
 * End to end through the real channels of a running gateway: a supplier's SFTP client uploads,
 * an HTTP client posts, accounting software drops a file. Each ends as a persisted flow and a
 * message on the durable queue passerelle.validate.
 */
@CitrusSupport
class ChannelsEndToEndTest {

    /** SIRET of the demo commune Aubeval (config/tenants.yaml). */
    private static final String AUBEVAL_SIRET = "21750101400013";

    @TempDir
    Path data;
    @TempDir
    Path work;
    private TestGateway gw;
    private JmsEndpoint validateQueue;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.intakeOnly(data);
        validateQueue = JmsEndpoints.jms().asynchronous().connectionFactory(gw.gateway.connectionFactory())
                .destination("passerelle.validate").timeout(20_000).build();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Flow flow(String id) {
        return gw.gateway.flows().find(id).orElseThrow(() -> new AssertionError("no flow " + id));
    }

    @Test
    @CitrusTest
    void anHttpClientPostsAnInvoice(@CitrusResource TestCaseRunner t) throws Exception {
        HttpClient api = HttpEndpoints.http().client().requestUrl(gw.api()).build();
        String ubl = Files.readString(Samples.sample("invoices/ubl/ubl-tc434-example1.xml"), StandardCharsets.UTF_8);

        t.$(http().client(api).send().post("/api/v1/flows").message()
                .header("X-Api-Key", "demo-key-aubeval").header("X-File-Name", "facture-ubl.xml")
                .contentType("application/xml").body(ubl));
        t.$(http().client(api).receive().response(HttpStatus.CREATED).message().type(MessageType.JSON)
                .validate(jsonPath().expression("$.status", "RECEIVED").expression("$.commune", "aubeval")
                        .expression("$.format", "UBL_INVOICE").expression("$.channel", "http"))
                .extract(fromBody().expression("$.id", "flowId")));
        t.$(receive(validateQueue).message().header("PasserelleCommune", "aubeval")
                .header("PasserelleFormat", "UBL_INVOICE").body("${flowId}"));
        t.$(context -> assertThat(flow(context.getVariable("flowId")).status()).isEqualTo(FlowStatus.RECEIVED));
    }

    @Test
    @CitrusTest
    void aSupplierUploadsByCompleteSftpAndTheBuyerPicksTheCommune(@CitrusResource TestCaseRunner t) throws Exception {
        Path invoice = work.resolve("facture-cii.xml");
        Files.writeString(invoice, Files.readString(Samples.sample("invoices/cii/CII_example2.xml"))
                .replace("3456789012098", AUBEVAL_SIRET), StandardCharsets.UTF_8);
        SftpClient sftp = SftpEndpoints.sftp().client().host("127.0.0.1").port(gw.sftpPort)
                .username("fournisseur-demo").password("demo-supplier-password").strictHostChecking(false)
                .timeout(20_000).build();
        sftp.initialize(); // endpoints built in code are not initialised by a Spring context
        try {
            t.$(send(sftp).message(FtpMessage.put(invoice.toAbsolutePath().toString(), "facture-cii.xml", DataType.BINARY)));
            t.$(receive(sftp).message(FtpMessage.putResult(226, "Transfer complete", true)));
            t.$(receive(validateQueue).message().header("PasserelleCommune", "aubeval").header("PasserelleFormat", "CII"));
            t.$(context -> assertThat(gw.gateway.flows().withStatus(FlowStatus.RECEIVED)).singleElement()
                    .satisfies(f -> {
                        assertThat(f.channel()).isEqualTo("sftp");
                        assertThat(f.sender()).isEqualTo("sftp:fournisseur-demo");
                        assertThat(f.fileName()).isEqualTo("facture-cii.xml");
                        assertThat(f.communeId()).isEqualTo("aubeval");
                    }));
        } finally {
            sftp.destroy();
        }
    }

    @Test
    @CitrusTest
    void accountingSoftwareDropsAFileThatIsTakenOnlyOnceComplete(@CitrusResource TestCaseRunner t) throws Exception {
        Path folder = data.resolve("drop").resolve("belcourt");
        Path partial = folder.resolve("mandat.xml.part");
        Files.copy(Samples.sample("pes/PES_ex.xml"), partial);
        NotifyBuilder taken = new NotifyBuilder(gw.gateway.camel()).fromRoute("ingest-drop").whenDone(1).create();
        // a .part file is being written: it must stay where it is; once renamed it is taken
        assertThat(taken.matches(1500, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(partial).exists();
        Files.move(partial, folder.resolve("mandat.xml"));

        t.$(receive(validateQueue).message().header("PasserelleCommune", "belcourt")
                .header("PasserelleFormat", "PES_ALLER"));
        t.$(context -> {
            assertThat(taken.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(folder.resolve("mandat.xml")).doesNotExist();
            assertThat(gw.gateway.flows().withStatus(FlowStatus.RECEIVED)).singleElement()
                    .satisfies(f -> {
                        assertThat(f.channel()).isEqualTo("drop");
                        assertThat(f.fileName()).isEqualTo("mandat.xml");
                    });
        });
    }
}
