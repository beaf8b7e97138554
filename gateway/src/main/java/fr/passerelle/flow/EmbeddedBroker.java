package fr.passerelle.flow;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The embedded ActiveMQ Artemis broker of the default set-up: persistent journal under the data
 * folder, in-VM acceptor for the gateway itself and an optional TCP acceptor. Every passerelle.*
 * queue gets the same redelivery policy (exponential back-off, then the dead-letter queue), so a
 * message that keeps failing ends in passerelle.DLQ instead of looping.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String DEAD_LETTER_QUEUE = "passerelle.DLQ";

    private final EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();

    /** Tunables of the broker, from config/application.properties (passerelle.broker.*). */
    public record Options(Path dataDir, String vmUrl, String tcpUrl, int maxDeliveryAttempts, long redeliveryDelayMs,
                          double redeliveryMultiplier, long maxRedeliveryDelayMs, int journalBufferTimeoutNs,
                          Redelivery treasury) {
    }

    /**
     * The treasury queues' own back-off: a treasury endpoint may be down far longer than a stage
     * of ours. The delivery route marks the flow FAILED at its last attempt; the broker's limit,
     * one more, is only a safety net.
     */
    public record Redelivery(int maxAttempts, long delayMs, double multiplier, long maxDelayMs) {
    }

    /** The address of each poste comptable's queue: passerelle.treasury.<IdPost>. */
    public static final String TREASURY_ADDRESSES = "passerelle.treasury.#";

    private final BrokerTraffic traffic = new BrokerTraffic();
    private final String tcpUrl;

    public EmbeddedBroker(Options o) throws Exception {
        tcpUrl = o.tcpUrl() == null || o.tcpUrl().isBlank() ? null : o.tcpUrl();
        Configuration config = new ConfigurationImpl()
                .setName("passerelle")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(o.dataDir().resolve("journal").toString())
                .setBindingsDirectory(o.dataDir().resolve("bindings").toString())
                .setPagingDirectory(o.dataDir().resolve("paging").toString())
                .setLargeMessagesDirectory(o.dataDir().resolve("large-messages").toString())
                .setJournalBufferTimeout_NIO(o.journalBufferTimeoutNs())
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", o.vmUrl());
        if (tcpUrl != null) {
            config.addAcceptorConfiguration("tcp", tcpUrl);
        }
        config.addAddressSetting("passerelle.#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                .setExpiryAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                .setMaxDeliveryAttempts(o.maxDeliveryAttempts())
                .setRedeliveryDelay(o.redeliveryDelayMs())
                .setRedeliveryMultiplier(o.redeliveryMultiplier())
                .setMaxRedeliveryDelay(o.maxRedeliveryDelayMs()));
        if (o.treasury() != null) {
            config.addAddressSetting(TREASURY_ADDRESSES, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                    .setExpiryAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                    .setMaxDeliveryAttempts(o.treasury().maxAttempts() + 1)
                    .setRedeliveryDelay(o.treasury().delayMs())
                    .setRedeliveryMultiplier(o.treasury().multiplier())
                    .setMaxRedeliveryDelay(o.treasury().maxDelayMs()));
        }
        config.addAddressSetting(DEAD_LETTER_QUEUE, new AddressSettings().setMaxDeliveryAttempts(-1)
                .setExpiryAddress(SimpleString.of(DEAD_LETTER_QUEUE)));
        config.addQueueConfiguration(QueueConfiguration.of(DEAD_LETTER_QUEUE).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        config.registerBrokerPlugin(traffic);
        embedded.setConfiguration(config);
    }

    /** Durable messages, their bytes and acknowledgements since start. */
    public BrokerTraffic traffic() {
        return traffic;
    }

    public void start() throws Exception {
        embedded.start();
        // Artemis logs a failed start (an acceptor's port taken, say) and returns: the gateway would run with no broker
        if (!isActive()) {
            IllegalStateException failed = new IllegalStateException(
                    "The embedded broker did not start (its AMQ error is logged above)"
                    + (tcpUrl == null ? "" : "; its TCP acceptor is " + tcpUrl + " (passerelle.broker.tcp-acceptor)"));
            try {
                embedded.stop();
            } catch (Exception stopping) {
                failed.addSuppressed(stopping);
            }
            throw failed;
        }
    }

    public boolean isActive() {
        ActiveMQServer server = embedded.getActiveMQServer();
        return server != null && server.isActive();
    }

    /** Messages of a queue held for a later delivery (a flow waiting for its transmission window). */
    public long scheduled(String queue) {
        ActiveMQServer server = embedded.getActiveMQServer();
        Queue q = server == null ? null : server.locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getScheduledCount();
    }

    /** Messages waiting in a queue (0 when the queue does not exist yet). */
    public long depth(String queue) {
        ActiveMQServer server = embedded.getActiveMQServer();
        Queue q = server == null ? null : server.locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        embedded.stop();
    }
}
