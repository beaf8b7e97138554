package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.TestGateway;

/**
 * The redelivery policy every stage relies on: a message whose transacted processing keeps
 * failing is redelivered a bounded number of times, then parked in passerelle.DLQ (never lost,
 * never looping), while good messages on the same queue go through.
 */
class DeadLetterTest {

    @TempDir
    Path data;

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAfterBoundedRedeliveries() throws Exception {
        try (TestGateway gw = TestGateway.start(data, Map.of("passerelle.broker.max-delivery-attempts", "3",
                "passerelle.broker.redelivery-delay-ms", "10", "passerelle.broker.max-redelivery-delay-ms", "50"))) {
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger processed = new AtomicInteger();
            gw.gateway.camel().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:passerelle.test-stage").routeId("test-stage").process(exchange -> {
                        if ("poison".equals(exchange.getMessage().getBody(String.class))) {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("cannot process");
                        }
                        processed.incrementAndGet();
                    });
                }
            });
            try (JMSContext jms = gw.gateway.connectionFactory().createContext()) {
                jms.createProducer().send(jms.createQueue("passerelle.test-stage"), "poison");
                jms.createProducer().send(jms.createQueue("passerelle.test-stage"), "good");
                try (JMSConsumer dlq = jms.createConsumer(jms.createQueue(EmbeddedBroker.DEAD_LETTER_QUEUE))) {
                    Message parked = dlq.receive(20_000);
                    assertThat(parked).isNotNull();
                    assertThat(parked.getBody(String.class)).isEqualTo("poison");
                }
            }
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(processed.get()).isEqualTo(1);
        }
    }
}
