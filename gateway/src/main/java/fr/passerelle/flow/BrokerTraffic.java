package fr.passerelle.flow;

import java.util.concurrent.atomic.LongAdder;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * What the gateway asks of its broker's journal: durable messages routed, their persistent size,
 * and acknowledgements of durable messages (each a journal record). Several nodes share one
 * broker: these figures per invoice say how many it can carry (README, "Throughput").
 */
public final class BrokerTraffic implements ActiveMQServerMessagePlugin {

    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder acks = new LongAdder();

    public long durableMessages() {
        return messages.sum();
    }

    public long durableBytes() {
        return bytes.sum();
    }

    public long acks() {
        return acks.sum();
    }

    @Override
    public void afterSend(Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue,
                          RoutingStatus result) throws ActiveMQException {
        if (message.isDurable() && result == RoutingStatus.OK) {
            messages.increment();
            bytes.add(message.getPersistentSize());
        }
    }

    @Override
    public void messageAcknowledged(MessageReference ref, AckReason reason) {
        if (ref.getMessage().isDurable()) {
            acks.increment();
        }
    }
}
