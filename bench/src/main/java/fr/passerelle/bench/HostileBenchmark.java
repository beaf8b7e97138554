package fr.passerelle.bench;

import fr.passerelle.ops.HostileInputs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;


import fr.passerelle.pes.RelayCheck;
import fr.passerelle.signature.PesDocumentException;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.InvoicePolicy;
import fr.passerelle.validation.Finding;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ValidationArtefacts;
import fr.passerelle.validation.ValidationReport;

/**
 * {@code bench hostile}: the worst input of each family of hostile files (generated here, see
 * {@link HostileInputs}), each run in-process through the invoice validator — PES flows through
 * the relay check and the signature verifier — with the default limits, and for each the wall
 * time, the peak heap (every heap pool's peak, reset before the case, after a GC), the bytes the
 * thread allocated, and the verdict with its first rule. The figures the limits were chosen
 * from; JSON on stdout and in target/bench-hostile.json.
 */
public final class HostileBenchmark {

    private static final long MIB = 1024 * 1024;

    private interface Run {
        String verdict() throws Exception;
    }

    private record Case(String family, String input, Path file, Run run) {
    }

    private HostileBenchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int pesMegabytes;
        try {
            BenchOptions options = BenchOptions.parse(args, "bench hostile [--pes-megabytes N]", Set.of("--pes-megabytes"));
            pesMegabytes = options.positive("--pes-megabytes", 70);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path dir = Files.createTempDirectory("passerelle-bench-hostile-");
        try {
            return measure(dir, pesMegabytes, out);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int measure(Path dir, int pesMegabytes, PrintStream out) throws Exception {
        InvoiceValidator validator = new InvoiceValidator(ValidationArtefacts.shared(), 20L << 20, true);
        byte[] cii = "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"/>"
                .getBytes(StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        cases.add(invoice(validator, "xml-depth", "UBL, 100,000 nested elements in UBLExtensions",
                HostileInputs.deepXml(dir.resolve("deep.xml"), 100_000)));
        cases.add(invoice(validator, "xml-elements", "UBL, 1,000,001 elements in UBLExtensions",
                HostileInputs.manyElements(dir.resolve("many.xml"), 1_000_001)));
        cases.add(invoice(validator, "xml-text", "UBL, one 19 MB text node", HostileInputs.hugeText(dir.resolve("text.xml"), 19 * MIB)));
        cases.add(invoice(validator, "xml-attributes", "UBL, 10,000 attributes on one element",
                HostileInputs.manyAttributes(dir.resolve("attributes.xml"), 10_000)));
        cases.add(invoice(validator, "xml-billion-laughs", "DTD, 10^9 lol", HostileInputs.billionLaughs(dir.resolve("lol.xml"))));
        cases.add(invoice(validator, "xml-xxe", "DTD, external entity file:///etc/passwd", HostileInputs.xxe(dir.resolve("xxe.xml"))));
        cases.add(invoice(validator, "xml-encoding", "ISO-8859-1 bytes declared UTF-8",
                HostileInputs.wrongEncoding(dir.resolve("latin1.xml"))));
        cases.add(invoice(validator, "xml-encoding", "unknown declared encoding",
                HostileInputs.unknownEncoding(dir.resolve("unknown.xml"))));
        cases.add(invoice(validator, "pdf-pagetree-loop", "/Pages among its own /Kids",
                HostileInputs.pageTreeLoop(dir.resolve("loop.pdf"), cii)));
        cases.add(invoice(validator, "pdf-pagetree-loop", "/Parent chain that loops (veraPDF alone never ends)",
                HostileInputs.parentLoop(dir.resolve("parent-loop.pdf"), cii)));
        cases.add(invoice(validator, "pdf-pages", "50,000 pages", HostileInputs.manyPages(dir.resolve("pages.pdf"), 50_000, cii)));
        cases.add(invoice(validator, "pdf-flate-bomb", "factur-x.xml inflating to 1 GB",
                HostileInputs.flateBombAttachment(dir.resolve("bomb.pdf"), 1L << 30)));
        cases.add(invoice(validator, "pdf-truncated", "half of a Factur-X-like PDF", HostileInputs.truncatedPdf(dir.resolve("cut.pdf"), cii)));
        cases.add(invoice(validator, "pdf-encrypted", "AES-128, user password", HostileInputs.encryptedPdf(dir.resolve("enc.pdf"), cii)));
        Path sample = Path.of("samples/invoices/ubl/ubl-tc434-example1.xml");
        if (Files.isRegularFile(sample)) {
            cases.add(invoice(validator, "legitimate", "UBL invoice of 20,000 lines (from samples/)",
                    twentyThousandLines(sample, dir.resolve("20000-lines.xml"))));
        }
        Path pes = HostileInputs.pesWithBigPj(dir.resolve("big-pj.xml"), pesMegabytes * MIB * 3 / 4);
        cases.add(pes("pes-big-pj", "PES_Aller, one PJ of " + pesMegabytes + " MB of base64 (legitimate)", pes));
        cases.add(pes("pes-depth", "PES_Aller, 100,000 nested elements", HostileInputs.deepPes(dir.resolve("deep-pes.xml"), pes, 100_000)));

        List<Map<String, Object>> results = new ArrayList<>();
        for (Case c : cases) {
            results.add(measure(c));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "hostile: worst input per family, default limits, in-process");
        report.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("cases", results);
        BenchReport.write("hostile", report, out);
        boolean allAnswered = results.stream().noneMatch(r -> String.valueOf(r.get("verdict")).startsWith("error"));
        return allAnswered ? 0 : 1;
    }

    private static Case invoice(InvoiceValidator validator, String family, String input, Path file) {
        return new Case(family, input, file, () -> {
            ValidationReport r = validator.validate(file, file.getFileName().toString(), InvoiceValidator.Options.standalone(false));
            if (!r.completed()) {
                return "failed: " + r.processingError();
            }
            Finding first = r.firstError();
            return r.verdict() + (first == null ? "" : " " + first.layer().id() + "/" + first.rule());
        });
    }

    /** A PES: the relay check (schema and all), then the signature verifier's parse and verification. */
    private static Case pes(String family, String input, Path file) {
        return new Case(family, input, file, () -> {
            List<fr.passerelle.document.Rejection> problems = new RelayCheck().check(file, BENCH_COMMUNE, s -> false, s -> false);
            String relay = problems.isEmpty() ? "relay ok" : "relay " + problems.get(0).layer() + "/" + problems.get(0).rule();
            String verify;
            try {
                VerificationReport v = new SignatureVerifier().verify(PesDocuments.parse(file), file.getFileName().toString());
                verify = "verify " + v.signatures().size() + " signature(s)";
            } catch (PesDocumentException e) {
                verify = "verify refused " + e.rule();
            }
            return relay + ", " + verify;
        });
    }

    /** The commune HostileInputs' PES flows are made for (their header matches it). */
    private static final Commune BENCH_COMMUNE = new Commune("essai", "Commune d'essai", "21170001500017", "211700015",
            "017001", "100", List.of("01"), List.of(), null, null, InvoicePolicy.DEFAULT, false, null, null);

    private static Map<String, Object> measure(Case c) throws IOException {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long t = System.nanoTime();
        String verdict;
        try {
            verdict = c.run().verdict();
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            verdict = "error " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long wallMs = (System.nanoTime() - t) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("family", c.family());
        r.put("input", c.input());
        r.put("fileBytes", Files.size(c.file()));
        r.put("wallMs", wallMs);
        r.put("peakHeapBytes", peak);
        r.put("peakHeapAboveBaselineBytes", Math.max(0, peak - before));
        r.put("allocatedBytes", threads.getCurrentThreadAllocatedBytes() - allocated);
        r.put("verdict", verdict);
        return r;
    }

    /** The sample's lines, then copies of its first line (quantity and amount 0: the totals stay right) up to 20,000. */
    static Path twentyThousandLines(Path sample, Path target) throws IOException {
        String invoice = Files.readString(sample, StandardCharsets.UTF_8);
        int start = invoice.indexOf("<cac:InvoiceLine>");
        int end = invoice.indexOf("</cac:InvoiceLine>") + "</cac:InvoiceLine>".length();
        String line = invoice.substring(start, end)
                .replaceFirst("(<cbc:InvoicedQuantity[^>]*>)[^<]*<", "$10<")
                .replaceFirst("(<cbc:LineExtensionAmount[^>]*>)[^<]*<", "$10.00<");
        int last = invoice.lastIndexOf("</cac:InvoiceLine>") + "</cac:InvoiceLine>".length();
        int lines = invoice.split("<cac:InvoiceLine>", -1).length - 1;
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write(invoice, 0, last);
            for (int i = lines; i < 20_000; i++) {
                w.write("\n    " + line.replaceFirst("<cbc:ID>[^<]*</cbc:ID>", "<cbc:ID>L" + i + "</cbc:ID>"));
            }
            w.write(invoice, last, invoice.length() - last);
        }
        return target;
    }
}
