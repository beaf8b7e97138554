package fr.passerelle.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;

/**
 * The capacity of the two parts the gateway nodes share, one PostgreSQL and one Artemis broker,
 * on this machine, and how many nodes (each carrying N invoices a second) they carry before they
 * limit, from the per-invoice figures {@code bench treasury} wrote. PostgreSQL is measured first,
 * then Artemis, each alone on the machine. Prints JSON and writes it to target/bench-shared.json.
 * A main class of the test sources (embedded PostgreSQL is a test dependency):
 * <pre>
 * mvn -B -q -DskipTests test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=fr.passerelle.ops.SharedCapacityBenchmark -Dexec.args="--seconds 20"
 * </pre>
 */
public final class SharedCapacityBenchmark {

    private static final String USAGE = "SharedCapacityBenchmark [--seconds N] [--warmup N] [--clients N] [--clients-per-node N] "
            + "[--producers N] [--consumers N] [--queues N] [--message-bytes N] [--invoices-per-node N] "
            + "[--per-invoice FILE]";

    private SharedCapacityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        int seconds;
        int warmup;
        int clients;
        int clientsPerNode;
        int producers;
        int consumers;
        int queues;
        int perNode;
        int messageBytes;
        Path perInvoiceFile;
        SharedNodes.PerInvoice perInvoice;
        String messageBytesFrom;
        try {
            BenchOptions o = BenchOptions.parse(List.of(args), USAGE, Set.of("--seconds", "--warmup", "--clients", "--clients-per-node",
                    "--producers", "--consumers", "--queues", "--message-bytes", "--invoices-per-node", "--per-invoice"));
            seconds = o.positive("--seconds", 20);
            warmup = o.positive("--warmup", 5);
            clients = o.positive("--clients", 8);
            clientsPerNode = o.positive("--clients-per-node", 2);
            producers = o.positive("--producers", 8);
            consumers = o.positive("--consumers", 8);
            queues = o.positive("--queues", 4);
            perNode = o.positive("--invoices-per-node", 200);
            perInvoiceFile = o.path("--per-invoice", Path.of("target", "bench-treasury.json"));
            perInvoice = SharedNodes.read(perInvoiceFile, json);
            Integer fromFile = perInvoice.messageBytes();
            int given = o.positive("--message-bytes", 0); // 0: not given
            messageBytes = given > 0 ? given : fromFile != null ? fromFile : 1024;
            messageBytesFrom = given > 0 ? "--message-bytes"
                    : fromFile != null ? "perInvoice brokerBytes / brokerMessages" : "default (no per-invoice figures)";
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "shared parts: the capacity of one PostgreSQL and one Artemis on this machine, "
                + "and how many gateway nodes they carry");
        report.put("cores", cores);
        report.put("warmupSeconds", warmup);
        report.put("measuredSeconds", seconds);
        report.put("note", "the load generators (JDBC clients, JMS producers and consumers) ran in this JVM on the "
                + "same " + cores + "-core machine as the server they measured, taking CPU from it: the capacities "
                + "are lower bounds. PostgreSQL and Artemis were measured one after the other, each alone.");

        Map<String, Object> postgres = PostgresCapacity.measure(clients, clientsPerNode,
                perInvoice.reportBytes() != null ? perInvoice.reportBytes() : 1500, warmup, seconds);
        report.put("postgresql", postgres);
        Map<String, Object> artemis = ArtemisCapacity.measure(producers, consumers, queues, messageBytes, warmup,
                seconds);
        artemis.put("messageBytesFrom", messageBytesFrom);
        report.put("artemis", artemis);
        ActiveMQClient.clearThreadPools();

        report.put("perInvoiceFile", perInvoiceFile.toString());
        report.put("perInvoice", perInvoice.figures());
        report.put("nodes", SharedNodes.nodes(perInvoice, perNode, (Double) postgres.get("roundTripsPerSecond"),
                (Double) postgres.get("commitsPerSecond"), (Double) artemis.get("messagesPerSecond")));

        BenchReport.write("shared", report, System.out);
    }
}
