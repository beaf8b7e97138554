package fr.passerelle.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bench compare --against DIR}: this build's invoice validator against another build's (a
 * clone of the repository at another commit, packaged), in one JVM, each build in a class loader
 * of its own, taking turns on one thread: CPU milliseconds per invoice for each. On this machine
 * two runs of one build in separate JVMs differ by a third; turns in one JVM see the same machine,
 * so they tell a change to the validator from the machine's mood. JSON in target/bench-compare.json.
 */
final class BuildComparison {

    static final String USAGE = "bench compare --against DIR [--samples FILE,FILE] [--rounds N] [--invoices N]";
    private static final String DEFAULT_SAMPLE = "samples/invoices/ubl/ubl-tc434-example1.xml";
    private static final int WARM_UP_ROUNDS = 4;

    /** One build's validator, reached by reflection: its classes are its own. */
    private record Build(String name, Object validator, Method validate, Object options, Method accepted) {

        boolean validate(Path file) throws ReflectiveOperationException {
            Object report = validate.invoke(validator, file, file.getFileName().toString(), options);
            return (Boolean) accepted.invoke(report);
        }
    }

    private BuildComparison() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        Path against;
        List<Path> samples;
        int rounds;
        int invoices;
        try {
            BenchOptions options = BenchOptions.parse(args, USAGE, Set.of("--against", "--samples", "--rounds", "--invoices"));
            against = options.path("--against", null);
            if (against == null) {
                throw new BenchOptions.Invalid(USAGE + ": --against names the other build's repository");
            }
            samples = Arrays.stream(options.text("--samples", DEFAULT_SAMPLE).split(",")).map(String::trim).map(Path::of)
                    .toList();
            rounds = WARM_UP_ROUNDS + options.positive("--rounds", 10);
            invoices = options.positive("--invoices", 200);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Build other = load("other", against.resolve("bench/target/lib"));
        Build ours = load("this", Path.of("bench/target/lib"));
        Map<String, Object> verdicts = new LinkedHashMap<>();
        for (Path sample : samples) {
            verdicts.put(sample.toString(), Map.of("this", ours.validate(sample), "other", other.validate(sample)));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        perRound.put(ours.name, new ArrayList<>());
        perRound.put(other.name, new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            // the order alternates, so neither build always runs just after a collection of the other's garbage
            for (Build build : round % 2 == 0 ? List.of(ours, other) : List.of(other, ours)) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < invoices; i++) {
                    build.validate(samples.get(i % samples.size()));
                }
                double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / invoices;
                if (round >= WARM_UP_ROUNDS) {
                    perRound.get(build.name).add(SharedNodes.round(ms, 3));
                }
            }
        }
        double oursMean = mean(perRound.get(ours.name));
        double otherMean = mean(perRound.get(other.name));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "compare: this build's invoice validator against another build's, in one JVM, taking turns");
        report.put("other", against.toAbsolutePath().normalize().toString());
        report.put("samples", samples.stream().map(Path::toString).toList());
        report.put("verdictsAccepted", verdicts);
        report.put("method", WARM_UP_ROUNDS + " warm-up rounds, then " + (rounds - WARM_UP_ROUNDS) + " rounds of "
                + invoices + " invoices per build, one thread, thread CPU time");
        report.put("cpuMsPerInvoiceThis", SharedNodes.round(oursMean, 3));
        report.put("cpuMsPerInvoiceOther", SharedNodes.round(otherMean, 3));
        report.put("thisOverOther", SharedNodes.round(oursMean / otherMean, 3));
        // a round the machine slowed weighs on the mean; the median of the rounds shrugs it off
        double oursMedian = median(perRound.get(ours.name));
        double otherMedian = median(perRound.get(other.name));
        report.put("medianCpuMsPerInvoiceThis", SharedNodes.round(oursMedian, 3));
        report.put("medianCpuMsPerInvoiceOther", SharedNodes.round(otherMedian, 3));
        report.put("medianThisOverOther", SharedNodes.round(oursMedian / otherMedian, 3));
        report.put("roundsCpuMsPerInvoice", perRound);
        BenchReport.write("compare", report, out);
        return 0;
    }

    private static Build load(String name, Path lib) throws IOException, ReflectiveOperationException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        // the platform loader as parent: none of this JVM's application classes, so each build runs its own
        ClassLoader loader = new URLClassLoader(name, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Class<?> artefacts = loader.loadClass("fr.passerelle.validation.ValidationArtefacts");
        Class<?> validatorClass = loader.loadClass("fr.passerelle.validation.InvoiceValidator");
        Class<?> optionsClass = loader.loadClass("fr.passerelle.validation.InvoiceValidator$Options");
        Class<?> tenants = loader.loadClass("fr.passerelle.tenant.TenantRegistry");
        Object validator = validatorClass.getConstructor(artefacts, long.class, boolean.class)
                .newInstance(artefacts.getMethod("load").invoke(null), 20L << 20, true);
        // no tenant: the invoice is judged as the command line judges it
        Object options = optionsClass.getConstructor(boolean.class, tenants, String.class).newInstance(false, null, null);
        return new Build(name, validator, validatorClass.getMethod("validate", Path.class, String.class, optionsClass),
                options, loader.loadClass("fr.passerelle.validation.ValidationReport").getMethod("accepted"));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
