package fr.passerelle.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.activemq.artemis.utils.VersionLoader;

import fr.passerelle.settings.Settings;
import fr.passerelle.flow.EmbeddedBroker;

/**
 * What one Artemis broker carries on this machine: the gateway's embedded broker (persistence on,
 * NIO journal with the gateway's buffer timeout and address settings, from config/) in a
 * temporary folder, reached over TCP as the nodes sharing it would. P producers each send durable
 * messages in a transacted session, one commit per message (the gateway sends one per
 * transaction); C consumers each receive in a transacted session, one commit per message, with no
 * prefetch (the gateway's consumer window is 0); messages spread over a few passerelle.* queues.
 * At most {@link #IN_FLIGHT} messages wait at once: producers, cheaper per message than consumers,
 * would otherwise take the CPU the consumers need and pile up a backlog, and the rate through the
 * broker (sent and consumed) is what a node needs.
 */
final class ArtemisCapacity {

    static final int IN_FLIGHT = 500;

    private ArtemisCapacity() {
    }

    static Map<String, Object> measure(int producers, int consumers, int queues, int messageBytes, int warmup,
                                       int seconds) throws Exception {
        Settings settings = Settings.load(Path.of("config"), Map.of(), Map.of());
        Path data = Files.createTempDirectory("passerelle-bench-shared-artemis-");
        String tcp = "tcp://127.0.0.1:" + freePort();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("version", VersionLoader.getVersion().getFullVersion());
        report.put("journal", "NIO, persistence on, journal buffer timeout "
                + settings.getInt("passerelle.broker.journal-buffer-timeout-ns") + " ns (config/application.properties), "
                + "as fr.passerelle.flow.EmbeddedBroker configures it");
        report.put("journalFileSystem", Files.getFileStore(data).type());
        report.put("transport", "TCP to 127.0.0.1 (the nodes sharing a broker reach it over the network)");
        report.put("producers", producers);
        report.put("consumers", consumers);
        report.put("queues", queues);
        report.put("messageBytes", messageBytes);
        EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Options(data, "vm://93", tcp,
                settings.getInt("passerelle.broker.max-delivery-attempts"),
                settings.getLong("passerelle.broker.redelivery-delay-ms"),
                Double.parseDouble(settings.get("passerelle.broker.redelivery-multiplier")),
                settings.getLong("passerelle.broker.max-redelivery-delay-ms"),
                settings.getInt("passerelle.broker.journal-buffer-timeout-ns"), null));
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        AtomicBoolean running = new AtomicBoolean(true);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(tcp);
        factory.setConsumerWindowSize(0);
        try {
            broker.start();
            LongAdder sent = new LongAdder();
            LongAdder consumed = new LongAdder();
            byte[] body = new byte[messageBytes];
            ThreadLocalRandom.current().nextBytes(body);
            Semaphore waiting = new Semaphore(IN_FLIGHT);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < consumers + producers; i++) {
                Connection connection = factory.createConnection();
                connections.add(connection);
                connection.start();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                Queue queue = session.createQueue(queueName(i % queues));
                boolean consumer = i < consumers;
                workers.add(pool.submit(() -> {
                    if (consumer) {
                        MessageConsumer in = session.createConsumer(queue);
                        while (running.get()) {
                            if (in.receive(200) != null) {
                                session.commit();
                                consumed.increment();
                                waiting.release();
                            }
                        }
                    } else {
                        MessageProducer out = session.createProducer(queue);
                        out.setDeliveryMode(DeliveryMode.PERSISTENT);
                        while (running.get()) {
                            if (!waiting.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                            BytesMessage m = session.createBytesMessage();
                            m.writeBytes(body);
                            out.send(m);
                            session.commit();
                            sent.increment();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(warmup * 1000L);
            long sentBefore = sent.sum();
            long consumedBefore = consumed.sum();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long sentInWindow = sent.sum() - sentBefore;
            long consumedInWindow = consumed.sum() - consumedBefore;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            for (Future<?> w : workers) {
                w.get();
            }
            long backlog = 0;
            boolean durable = true;
            try (Session look = connections.get(0).createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                for (int q = 0; q < queues; q++) {
                    var query = ((ActiveMQSession) look).getCoreSession().queueQuery(SimpleString.of(queueName(q)));
                    durable &= query.isExists() && query.isDurable();
                    backlog += query.getMessageCount();
                }
            }
            report.put("queuesDurable", durable);
            report.put("measuredSeconds", SharedNodes.round(elapsed, 2));
            report.put("messagesSent", sentInWindow);
            report.put("messagesConsumed", consumedInWindow);
            report.put("backlogAtEnd", backlog);
            double sentRate = sentInWindow / elapsed;
            double consumedRate = consumedInWindow / elapsed;
            report.put("sentPerSecond", SharedNodes.round(sentRate, 1));
            report.put("consumedPerSecond", SharedNodes.round(consumedRate, 1));
            double through = Math.min(sentRate, consumedRate);
            report.put("messagesPerSecond", SharedNodes.round(through, 1));
            report.put("messagesPerSecondMeans", "min(sent, consumed) a second: each message sent and consumed, two "
                    + "journal transactions (the send and its acknowledgement), each synced to disk before its commit "
                    + "returns; at most " + IN_FLIGHT + " messages waiting at once");
            report.put("bytesPerSecond", Math.round(through * messageBytes));
        } finally {
            running.set(false);
            for (Connection c : connections) {
                c.close();
            }
            pool.shutdownNow();
            factory.close();
            broker.close();
            deleteTree(data);
        }
        return report;
    }

    private static String queueName(int i) {
        return "passerelle.bench.shared." + i;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
