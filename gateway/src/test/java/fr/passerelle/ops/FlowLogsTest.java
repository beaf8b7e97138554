package fr.passerelle.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;

/**
 * The logs of a running gateway in JSON mode (config/logback.xml with passerelle.log.format=json): a line the
 * validation stage writes about a flow, on the queue consumer's thread, carries the flow's id and commune in
 * its MDC (FlowMdc), and the JSON encoder of the configuration renders them.
 */
class FlowLogsTest {

    @TempDir
    static Path data;
    static TestGateway gw;
    static final LoggerContext LOGS = (LoggerContext) LoggerFactory.getILoggerFactory();
    static final ListAppender<ILoggingEvent> EVENTS = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("passerelle.log.format", "json");
        settings.setProperty("logging.level.fr.passerelle.ops.FlowLogsTest", "TRACE");
        Logs.configure(Path.of("config"), settings);
        EVENTS.setContext(LOGS);
        EVENTS.start();
        root().addAppender(EVENTS);
        gw = TestGateway.start(data);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        root().detachAppender(EVENTS);
        Logs.configure(Path.of("config"), new Properties()); // back to text for the next tests
    }

    static Logger root() {
        return LOGS.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aLineAboutAFlowCarriesItsIdAndCommuneInJson() throws Exception {
        Appender<ILoggingEvent> json = root().getAppender("json");
        assertThat(json).as("the JSON switch picks the json appender").isInstanceOf(OutputStreamAppender.class);
        assertThat(root().getAppender("text")).isNull();
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) json).getEncoder();

        // a total that does not add up: refused by the validation stage, which says so in its log
        String broken = Invoices.ublFor(Invoices.AUBEVAL_SIRET)
                .replace("<cbc:PayableAmount currencyID=\"EUR\">250.33", "<cbc:PayableAmount currencyID=\"EUR\">260.33");
        HttpResponse<String> answer = gw.post("demo-key-aubeval", "faux-total-logs.xml",
                broken.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        JsonNode flow = Json.parse(answer.body());
        String id = flow.get("id").asText();
        String commune = flow.get("commune").asText();

        ILoggingEvent rejected = await().atMost(Duration.ofSeconds(60)).until(() -> eventsAbout(id).stream()
                .filter(e -> e.getFormattedMessage().contains("REJECTED")).findFirst().orElse(null), e -> e != null);
        assertThat(rejected.getLoggerName()).isEqualTo("fr.passerelle.validation.ValidationService");
        assertThat(rejected.getThreadName()).as("logged from the queue, not the HTTP call")
                .doesNotContain("vert.x");
        assertThat(rejected.getMDCPropertyMap()).containsEntry("flowId", id).containsEntry("commune", commune);

        JsonNode line = Json.parse(new String(encoder.encode(rejected), StandardCharsets.UTF_8).trim());
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("loggerName").asText()).isEqualTo("fr.passerelle.validation.ValidationService");
        assertThat(line.get("mdc").get("flowId").asText()).isEqualTo(id);
        assertThat(line.get("mdc").get("commune").asText()).isEqualTo(commune);
        assertThat(line.get("formattedMessage").asText()).contains(id, "REJECTED");
    }

    @Test
    void oneLoggersLevelIsASetting() {
        assertThat(LOGS.getLogger(FlowLogsTest.class).getLevel()).isEqualTo(ch.qos.logback.classic.Level.TRACE);
        // and the file's own levels hold: Flyway's warning about the H2 version is the one thing silenced
        assertThat(LOGS.getLogger("org.flywaydb").getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(LOGS.getLogger("org.flywaydb.core.internal.database.base.Database").getLevel())
                .isEqualTo(ch.qos.logback.classic.Level.ERROR);
    }

    static List<ILoggingEvent> eventsAbout(String id) {
        synchronized (EVENTS) {
            return List.copyOf(EVENTS.list).stream().filter(e -> e.getFormattedMessage().contains(id)).toList();
        }
    }
}
