package fr.passerelle.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.settings.Settings;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.BrokerPolicyCheck;
import fr.passerelle.tenant.TenantRegistry;

/**
 * docker/artemis/broker.xml on the real Artemis distribution, in its own process: logins
 * required, and the redelivery limits the gateway checks at start read back from the broker.
 */
class ExternalBrokerTest {

    @TempDir
    static Path folder;
    private static ArtemisProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ArtemisProcess.start(folder.resolve("broker"), "external-broker", "passerelle", "broker-secret");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Settings settings(String password, int maxAttempts) {
        Map<String, String> o = new HashMap<>();
        o.put("passerelle.broker.embedded", "false");
        o.put("passerelle.broker.url", broker.url());
        o.put("passerelle.broker.user", broker.user);
        o.put("passerelle.broker.password", password);
        o.put("passerelle.treasury.max-attempts", String.valueOf(maxAttempts));
        return Settings.load(Path.of("config"), Map.of(), o);
    }

    @Test
    void theShippedBrokerTriesTreasuryDeliveriesMoreOftenThanTheGateway() {
        var communes = TenantRegistry.load(Path.of("config", "tenants.yaml")).communes();
        // config/application.properties: 8 attempts; the broker delivers 9 times
        BrokerPolicyCheck.verify(settings(broker.password, 8), communes);
        assertThatThrownBy(() -> BrokerPolicyCheck.verify(settings(broker.password, 9), communes))
                .hasMessageContaining("passerelle.treasury.017001").hasMessageContaining("at most 9 time")
                .hasMessageContaining("attempt 9").hasMessageContaining("max-delivery-attempts to 10");
    }

    @Test
    void theOtherQueuesHaveTheEmbeddedBrokersPolicy() throws Exception {
        // config/application.properties passerelle.broker.*: 6 deliveries, 1 s x2 up to 60 s, then passerelle.DLQ
        var validate = fr.passerelle.Json.parse(BrokerPolicyCheck.addressSettings(broker.url(), broker.user,
                broker.password, "passerelle.validate"));
        assertThat(validate.get("maxDeliveryAttempts").asInt()).isEqualTo(6);
        assertThat(validate.get("redeliveryDelay").asLong()).isEqualTo(1000);
        assertThat(validate.get("redeliveryMultiplier").asDouble()).isEqualTo(2.0);
        assertThat(validate.get("maxRedeliveryDelay").asLong()).isEqualTo(60000);
        assertThat(validate.get("deadLetterAddress").asText()).isEqualTo("passerelle.DLQ");
        // passerelle.treasury.*: 8 + 1 deliveries, 2 s x2 up to 120 s
        var treasury = fr.passerelle.Json.parse(BrokerPolicyCheck.addressSettings(broker.url(), broker.user,
                broker.password, "passerelle.treasury.017001"));
        assertThat(treasury.get("maxDeliveryAttempts").asInt()).isEqualTo(9);
        assertThat(treasury.get("redeliveryDelay").asLong()).isEqualTo(2000);
        assertThat(treasury.get("maxRedeliveryDelay").asLong()).isEqualTo(120000);
        assertThat(treasury.get("deadLetterAddress").asText()).isEqualTo("passerelle.DLQ");
        var dlq = fr.passerelle.Json.parse(BrokerPolicyCheck.addressSettings(broker.url(), broker.user,
                broker.password, "passerelle.DLQ"));
        assertThat(dlq.get("maxDeliveryAttempts").asInt()).isEqualTo(-1);
    }

    @Test
    void aGatewayWhoseLimitTheBrokerDoesNotExceedRefusesToStart(@TempDir Path data) {
        Map<String, String> o = new HashMap<>();
        o.put("passerelle.broker.embedded", "false");
        o.put("passerelle.broker.url", broker.url());
        o.put("passerelle.broker.user", broker.user);
        o.put("passerelle.broker.password", broker.password);
        o.put("passerelle.treasury.max-attempts", "12");
        o.put("passerelle.sftp.enabled", "false");
        o.put("passerelle.simulator.enabled", "false");
        assertThatThrownBy(() -> TestGateway.start(data, o)).hasMessageContaining("at most 9 time")
                .hasMessageContaining("attempt 12");
    }

    @Test
    void aWrongPasswordIsSaidClearly() {
        var communes = TenantRegistry.load(Path.of("config", "tenants.yaml")).communes();
        assertThatThrownBy(() -> BrokerPolicyCheck.verify(settings("wrong", 8), communes))
                .hasMessageContaining("Cannot read the redelivery settings of passerelle.treasury.017001")
                .hasMessageContaining(broker.url()).hasMessageContaining("manage");
    }

    @Test
    void anonymousLoginsAreRefused() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory factory = locator.createSessionFactory()) {
            assertThatThrownBy(() -> factory.createSession().close()).hasMessageContaining("AMQ229031");
            assertThatThrownBy(() -> factory.createSession("passerelle", "not-the-password", false, true, true, false, 0)
                    .close()).hasMessageContaining("AMQ229031");
        }
        assertThat(broker.isAlive()).isTrue();
    }
}
