package fr.passerelle.bench;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import fr.passerelle.pes.PesFacts;
import fr.passerelle.pes.PesHeader;
import fr.passerelle.pes.PesNames;
import fr.passerelle.pes.PesSchemas;
import fr.passerelle.pes.PjFlowWriter;
import fr.passerelle.pes.PjInput;
import fr.passerelle.pes.XsdReport;

/**
 * {@code bench pes}: builds one PES_Aller carrying PJ up to {@code --megabytes N} (MiB, default 100)
 * into a temporary file, validates it against the official XSD (streaming) and reads its facts
 * (streaming), and reports the time of each step, the flow's size, and the heap: the peak seen by
 * sampling every 5 ms (garbage included), the peak live heap after each GC, and the maximum.
 * Meant to run in {@code -Xmx512m} (it should fit in much less): memory must not grow with the flow.
 * <p>Invoices: generated UBL-like files of {@code --invoice-kb K} (default 10), each with a note of
 * random characters of the base64 alphabet, generated as they are read (a 50 MB invoice is never in
 * memory). Repeated or filler content would gzip to almost nothing and make a "100 MB" flow out of
 * a few KB of work; random base64 text keeps 6 bits of entropy per character, so gzip leaves ~76%
 * and base64 brings it back to about the original size — the flow's size is then the work done,
 * like PDFs (already compressed) in real flows. {@code --samples DIR} takes real invoice files from
 * DIR instead, in turn (the same ones repeatedly: each is gzipped anew, so the work is real).
 */
public final class PesBuildBenchmark {

    static final int DEFAULT_MEGABYTES = 100;
    static final int DEFAULT_INVOICE_KB = 10;
    private static final byte[] BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final long MIB = 1024 * 1024;
    private static final PesHeader HEADER = new PesHeader("017001", "21170001500017", "100", "01", "Commune de banc d'essai",
            LocalDate.of(2026, 11, 22));

    private PesBuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out));
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int megabytes;
        int invoiceKb;
        Path samples;
        try {
            BenchOptions options = BenchOptions.parse(args, "bench pes [--megabytes N] [--invoice-kb K | --samples DIR]",
                    Set.of("--megabytes", "--invoice-kb", "--samples"));
            megabytes = options.positive("--megabytes", DEFAULT_MEGABYTES);
            invoiceKb = options.positive("--invoice-kb", DEFAULT_INVOICE_KB);
            samples = options.path("--samples", null);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return measure(megabytes * MIB, invoiceKb * 1024L, samples, out);
    }

    private static int measure(long targetBytes, long invoiceBytes, Path samplesDir, PrintStream out) throws Exception {
        List<Path> samples = samplesDir == null ? List.of() : invoiceFiles(samplesDir);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "pes: build a PES_Aller with PES_PJ (gzip + base64 streamed), XSD-validate it, read its facts");
        report.put("targetBytes", targetBytes);
        report.put("invoices", samples.isEmpty() ? "generated " + invoiceBytes + "-byte UBL-like files, random base64 note"
                : samples.size() + " files from " + samplesDir + ", in turn");
        report.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        report.put("cores", Runtime.getRuntime().availableProcessors());

        long t = System.nanoTime();
        PesSchemas.aller(); // compiled once per JVM: not part of any flow's cost
        report.put("schemaCompileSeconds", seconds(t));

        Path flow = Files.createTempFile("passerelle-bench-pes-", ".xml");
        try (HeapWatch heap = new HeapWatch()) {
            t = System.nanoTime();
            int pjs = build(flow, targetBytes, invoiceBytes, samples);
            double buildSeconds = seconds(t);
            long size = Files.size(flow);

            t = System.nanoTime();
            XsdReport xsd = PesSchemas.validate(PesSchemas.aller(), flow);
            double validateSeconds = seconds(t);

            t = System.nanoTime();
            PesFacts facts = PesFacts.read(flow);
            double factsSeconds = seconds(t);

            report.put("pj", pjs);
            report.put("flowBytes", size);
            report.put("buildSeconds", buildSeconds);
            report.put("buildMiBPerSecond", round(size / (double) MIB / buildSeconds));
            report.put("validateSeconds", validateSeconds);
            report.put("validateMiBPerSecond", round(size / (double) MIB / validateSeconds));
            report.put("factsSeconds", factsSeconds);
            report.put("xsdValid", xsd.valid());
            report.put("xsdErrors", xsd.errors().stream().limit(5).map(e -> e.french()).toList());
            report.put("pjReadBack", facts.pjIdUniques().size());
            report.put("peakHeapUsedSampledBytes", heap.peakSampled());
            report.put("peakHeapLiveAfterGcBytes", heap.gcCount() == 0 ? null : heap.peakAfterGc()); // null: no GC ran
            report.put("gcCount", heap.gcCount());
        } finally {
            Files.deleteIfExists(flow);
        }
        BenchReport.write("pes", report, out);
        boolean ok = Boolean.TRUE.equals(report.get("xsdValid")) && report.get("pj").equals(report.get("pjReadBack"));
        return ok ? 0 : 1;
    }

    /** Adds PJ until the flow reaches the target size; returns how many. */
    private static int build(Path flow, long targetBytes, long invoiceBytes, List<Path> samples) throws IOException {
        String nomFic = PesNames.nomFic(HEADER.idColl(), HEADER.dteStr(), 1);
        SplittableRandom random = new SplittableRandom(20261122);
        int n = 0;
        try (Counting counted = new Counting(Files.newOutputStream(flow));
             PjFlowWriter writer = new PjFlowWriter(counted, HEADER, nomFic)) {
            while (counted.count() < targetBytes) {
                n++;
                String idUnique = PesNames.idUnique(HEADER.idColl().substring(0, 9), n);
                PjInput pj;
                if (samples.isEmpty()) {
                    long seed = random.nextLong();
                    int number = n;
                    pj = new PjInput(idUnique, "facture-" + n + ".xml", PjInput.TYPE_DEPENSE,
                            PjInput.invoiceDescription("BENCH-" + n, HEADER.dteStr(), "Fournisseur de banc d'essai"),
                            "application/xml", () -> invoice(number, seed, invoiceBytes), invoiceBytes);
                } else {
                    Path file = samples.get((n - 1) % samples.size());
                    String name = file.getFileName().toString();
                    pj = new PjInput(idUnique, name.length() > 100 ? name.substring(name.length() - 100) : name,
                            PjInput.TYPE_DEPENSE, PjInput.invoiceDescription(name, HEADER.dteStr(), null),
                            name.endsWith(".pdf") ? "application/pdf" : "application/xml",
                            () -> Files.newInputStream(file), Files.size(file));
                }
                writer.add(pj); // the count lags by the writer's 64 KB buffer at most
            }
        }
        return n;
    }

    /** A UBL-like invoice of exactly {@code size} bytes, its note random base64-alphabet text, made as it is read. */
    static InputStream invoice(int n, long seed, long size) {
        byte[] head = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
                + "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n"
                + "<cbc:ID>BENCH-" + n + "</cbc:ID><cbc:IssueDate>2026-11-22</cbc:IssueDate>\n<cbc:Note>")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "</cbc:Note>\n</Invoice>\n".getBytes(StandardCharsets.US_ASCII);
        long note = Math.max(0, size - head.length - tail.length);
        SplittableRandom random = new SplittableRandom(seed);
        InputStream noise = new InputStream() {
            private long left = note;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                long bits = 0;
                for (int i = 0; i < n; i++) {
                    if (i % 10 == 0) {
                        bits = random.nextLong(); // 10 characters of 6 random bits each
                    }
                    b[off + i] = BASE64_ALPHABET[(int) (bits & 63)];
                    bits >>>= 6;
                }
                left -= n;
                return n;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(head), new SequenceInputStream(noise, new ByteArrayInputStream(tail)));
    }

    private static List<Path> invoiceFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> list = new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no file in " + dir);
            }
            return list;
        }
    }

    private static double seconds(long since) {
        return round((System.nanoTime() - since) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Counts the bytes that reached the file. */
    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }

    /**
     * The heap while the benchmark runs: sampled every 5 ms (what is allocated, garbage included)
     * and after every GC (what is live: the figure that must stay flat as the flow grows).
     */
    private static final class HeapWatch implements AutoCloseable {
        private final AtomicLong peakSampled = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicLong gcs = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeap(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            peakAfterGc.accumulateAndGet(used, Math::max);
            gcs.incrementAndGet();
        };

        HeapWatch() {
            System.gc(); // start from what the JVM itself holds
            sampler.scheduleAtFixedRate(() -> peakSampled.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 5, TimeUnit.MILLISECONDS);
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    emitters.add(emitter);
                }
            }
        }

        private static boolean isHeap(String pool) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .anyMatch(p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
        }

        long peakSampled() {
            return peakSampled.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long gcCount() {
            return gcs.get();
        }

        @Override
        public void close() throws Exception {
            sampler.shutdownNow();
            for (NotificationEmitter emitter : emitters) {
                emitter.removeNotificationListener(listener);
            }
        }
    }
}
