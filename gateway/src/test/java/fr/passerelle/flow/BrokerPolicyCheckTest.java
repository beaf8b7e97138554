package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading the broker's address settings and judging them against the gateway's own limit. */
class BrokerPolicyCheckTest {

    /** What Artemis 2.44 answers for passerelle.treasury.017001 with docker/artemis/broker.xml. */
    private static final String TREASURY = "{\"addressFullMessagePolicy\":\"PAGE\",\"maxSizeBytes\":-1,"
            + "\"maxSizeMessages\":-1,\"pageSizeBytes\":10485760,\"maxDeliveryAttempts\":9,\"redeliveryDelay\":2000,"
            + "\"redeliveryMultiplier\":2.0,\"maxRedeliveryDelay\":120000,\"deadLetterAddress\":\"passerelle.DLQ\","
            + "\"expiryAddress\":\"passerelle.DLQ\",\"slowConsumerThresholdMeasurementUnit\":\"MESSAGES_PER_SECOND\","
            + "\"autoCreateQueues\":true,\"autoDeleteQueues\":false,\"autoCreateAddresses\":true,"
            + "\"autoDeleteAddresses\":false,\"managementBrowsePageSize\":200}";

    @Test
    void readsTheMaxDeliveryAttemptsOfTheAnswer() {
        assertThat(BrokerPolicyCheck.maxDeliveryAttempts(TREASURY)).isEqualTo(9);
        assertThat(BrokerPolicyCheck.maxDeliveryAttempts("{\"maxDeliveryAttempts\":-1}")).isEqualTo(-1);
    }

    @Test
    void noSettingMeansTheBrokersDefaultOfTen() {
        assertThat(BrokerPolicyCheck.maxDeliveryAttempts("{\"addressFullMessagePolicy\":\"PAGE\"}")).isEqualTo(10);
    }

    @Test
    void somethingElseThanAnObjectIsAnError() {
        assertThatThrownBy(() -> BrokerPolicyCheck.maxDeliveryAttempts("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerPolicyCheck.maxDeliveryAttempts("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerPolicyCheck.maxDeliveryAttempts("{\"maxDeliveryAttempts\":\"many\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBrokerMustTryMoreOftenThanTheGateway() {
        assertThat(BrokerPolicyCheck.problem("passerelle.treasury.017001", 9, 8)).isEmpty();
        assertThat(BrokerPolicyCheck.problem("passerelle.treasury.017001", -1, 8)).as("unlimited").isEmpty();
        assertThat(BrokerPolicyCheck.problem("passerelle.treasury.017001", 8, 8)).isPresent();
        assertThat(BrokerPolicyCheck.problem("passerelle.treasury.017001", 6, 8)).hasValueSatisfying(message ->
                assertThat(message).contains("passerelle.treasury.017001", "at most 6 time", "attempt 8",
                        "passerelle.treasury.max-attempts", "max-delivery-attempts to 9", "passerelle.treasury.#"));
    }
}
