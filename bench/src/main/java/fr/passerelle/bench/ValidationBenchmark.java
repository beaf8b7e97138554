package fr.passerelle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.helger.commons.error.IError;
import com.helger.commons.io.resource.FileSystemResource;
import com.helger.diver.api.coord.DVRCoordinate;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResultList;
import com.helger.phive.en16931.EN16931Validation;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;
import org.mustangproject.validator.ZUGFeRDValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;

import fr.passerelle.validation.Finding;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.Severity;
import fr.passerelle.validation.ValidationArtefacts;
import fr.passerelle.validation.ValidationReport;

/**
 * {@code bench validate}: our invoice validator against the reference validators, in the same
 * JVM, on the same files: Mustang's ZUGFeRDValidator for Factur-X PDFs, phive's EN 16931 rules
 * (XSD then CEN Schematron) for UBL / CII XML. Each engine is warmed up, then run round-robin over
 * its group's files for a fixed time with 1 and 2 threads. Per-file verdicts of both sides are
 * reported so that a speed difference can be read against what each engine actually checks.
 * A measuring tool only: nothing here judges the timings.
 */
public final class ValidationBenchmark {

    static final int DEFAULT_SECONDS = 10;
    static final Path DEFAULT_FOLDER = Path.of("samples", "invoices");
    private static final Duration WARM_UP_MIN = Duration.ofSeconds(3);
    private static final Duration WARM_UP_MAX = Duration.ofSeconds(60);
    /** Warm-up is judged on windows of whole rounds over the files, each at least this long. */
    private static final Duration WARM_UP_WINDOW = Duration.ofSeconds(2);
    /** Windows in a row at most this much faster than the best before them: the JIT has done its work. */
    private static final double STEADY_GAIN = 1.05;
    private static final int STEADY_WINDOWS = 2;
    private static final int WARM_UP_MIN_ROUNDS = 3;
    private static final int[] THREADS = {1, 2};
    /** Each engine's share of a scenario comes in this many slices, alternated ABBA. */
    private static final int SLICES = 4;
    private static final long MAX_XML_BYTES = 20L << 20;

    /** One validator under test. Implementations must be safe to call from several threads. */
    private interface Engine {
        String name();

        Outcome validate(Path file) throws Exception;
    }

    /**
     * What an engine said about a file; accepted is normalised so both sides can be compared.
     * The rules in error are read only when a disagreement is reported, so outside the timing.
     */
    private record Outcome(String verdict, boolean completed, boolean accepted, String note,
                           Supplier<List<String>> errorRules) {
        static Outcome error(Exception e) {
            return new Outcome("error", false, false, e.getClass().getSimpleName() + ": " + e.getMessage(), List::of);
        }
    }

    private record Call(int file, long nanos, String verdict) {
    }

    /** One thread's calls, and how long it was busy: from the start to the end of its last call. */
    private record Worker(List<Call> calls, long busyNanos) {
        Worker plus(Worker other) {
            List<Call> all = new ArrayList<>(calls);
            all.addAll(other.calls);
            return new Worker(all, busyNanos + other.busyNanos);
        }
    }

    /** The timed calls of one engine at one thread count. */
    private record Run(int threads, List<Worker> workers) {
        List<Call> calls() {
            return workers.stream().flatMap(w -> w.calls().stream()).toList();
        }

        /**
         * The sum of each thread's own rate: a thread that finished its last call early is not
         * charged for waiting on the other one's (which would penalise the slower engine).
         */
        double perSecond() {
            return workers.stream().mapToDouble(w -> w.busyNanos() == 0 ? 0 : w.calls().size() * 1e9 / w.busyNanos())
                    .sum();
        }

        double seconds() {
            return workers.stream().mapToLong(Worker::busyNanos).max().orElse(0) / 1e9;
        }

        Run plus(Run other) {
            List<Worker> merged = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                merged.add(workers.get(i).plus(other.workers().get(i)));
            }
            return new Run(threads, merged);
        }
    }

    private record WarmUp(List<Outcome> firstPass, long firstPassNanos, int rounds, long nanos, boolean steady,
                          double lastWindowPerSecond) {
    }

    /**
     * A format group: its files, our engine and the reference that checks the same files, and the
     * work both share (veraPDF's PDF/A check for the PDFs), if any: its rate bounds the ratio.
     */
    private record Group(String name, List<Path> files, Engine ours, Engine reference, Engine shared) {
    }

    private ValidationBenchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int seconds;
        Path folder;
        try {
            BenchOptions options = BenchOptions.parse(args, "bench validate [--seconds N] [--folder DIR]",
                    Set.of("--seconds", "--folder"));
            seconds = options.positive("--seconds", DEFAULT_SECONDS);
            folder = options.path("--folder", DEFAULT_FOLDER);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!Files.isDirectory(folder)) {
            System.err.println("bench validate: --folder takes a directory (" + folder + ")");
            return 2;
        }
        quietReferenceLogging();
        return measure(folder, seconds, out);
    }

    /**
     * Mustang logs every finding (with stack traces) and ph-schematron logs every run at INFO:
     * writing that to the console would be timed as validation work, which ours does not do.
     * Only defaults: a -Dlogging.level.NAME given by the user wins.
     * The "[Fatal Error]" lines that remain come from the JDK parser Mustang calls without an
     * error handler, on a sample with a broken XML declaration: no logger setting reaches them.
     */
    private static void quietReferenceLogging() {
        quiet("org.mustangproject", "off");
        quiet("com.helger", "warn");
        quiet("org.verapdf", "warn");
    }

    /** A logger's level (Logback), unless the user gave one with -Dlogging.level.NAME=LEVEL. */
    private static void quiet(String logger, String level) {
        String given = System.getProperty("logging.level." + logger);
        if (org.slf4j.LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.toLevel(given != null ? given : level));
        }
    }

    private static int measure(Path folder, int seconds, PrintStream out) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "validate: ours against the reference validators, same run, same files");
        report.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("machine", machine());
        report.put("folder", folder.toAbsolutePath().normalize().toString());
        report.put("secondsPerScenario", seconds);
        report.put("method", method());

        // a fresh set, not shared(): its load time is our cold start, reported as such
        ValidationArtefacts artefacts = ValidationArtefacts.load();
        report.put("artefactsLoadMs", artefacts.loadMillis());
        Engine ours = new OursEngine(new InvoiceValidator(artefacts, MAX_XML_BYTES, true));
        PhiveEngine phive = new PhiveEngine();
        MustangEngine mustang = new MustangEngine();
        report.put("references", references(mustang, phive));

        List<Path> files = invoices(folder);
        List<Path> pdfs = files.stream().filter(f -> extension(f).equals("pdf")).toList();
        List<Path> xmls = files.stream().filter(f -> extension(f).equals("xml")).toList();
        List<Map<String, Object>> skipped = new ArrayList<>();
        List<Path> supportedXmls = phive.prepare(xmls, folder, skipped);

        List<Map<String, Object>> groups = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (Group group : List.of(new Group("facturx", pdfs, ours, mustang, new PdfaAloneEngine(pdfs)),
                new Group("ubl-cii", supportedXmls, ours, phive, null))) {
            if (group.files().isEmpty()) {
                skipped.add(Map.of("group", group.name(), "reason", "no files"));
                continue;
            }
            groups.add(group(group, folder, seconds, summary));
        }
        report.put("groups", groups);
        report.put("skipped", skipped);

        BenchReport.write("validate", report, out);
        System.err.println("bench validate (" + seconds + " s per scenario): " + String.join("; ", summary));
        return 0;
    }

    /** Warm-up, then the timed runs, then the per-file verdicts of one group. */
    private static Map<String, Object> group(Group group, Path folder, int seconds, List<String> summary)
            throws Exception {
        int most = Arrays.stream(THREADS).max().orElse(1);
        try (EngineThreads ours = new EngineThreads(group.ours().name(), most);
             EngineThreads reference = new EngineThreads(group.reference().name(), most);
             EngineThreads shared = group.shared() == null ? null : new EngineThreads(group.shared().name(), most)) {
            return group(group, new Threads(ours, reference, shared), folder, seconds, summary);
        }
    }

    /** Each engine's own threads, for its warm-up and all its timed runs. */
    private record Threads(EngineThreads ours, EngineThreads reference, EngineThreads shared) {
    }

    private static Map<String, Object> group(Group group, Threads engineThreads, Path folder, int seconds,
                                             List<String> summary) throws Exception {
        List<Path> files = group.files();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("group", group.name());
        g.put("files", files.size());
        g.put("ours", group.ours().name());
        g.put("reference", group.reference().name());
        WarmUp oursWarm = warmUp(group.ours(), files, engineThreads.ours());
        WarmUp referenceWarm = warmUp(group.reference(), files, engineThreads.reference());
        Map<String, Object> warmUps = new LinkedHashMap<>();
        warmUps.put("ours", warmUpFacts(oursWarm));
        warmUps.put("reference", warmUpFacts(referenceWarm));
        WarmUp sharedWarm = group.shared() == null ? null : warmUp(group.shared(), files, engineThreads.shared());
        if (sharedWarm != null) {
            warmUps.put(group.shared().name(), warmUpFacts(sharedWarm));
        }
        g.put("warmUp", warmUps);

        List<Map<String, Object>> scenarios = new ArrayList<>();
        Map<Integer, Run[]> runs = new HashMap<>();
        Run sharedSingle = null;
        List<String> figures = new ArrayList<>();
        for (int threads : THREADS) {
            Run[] pair = abba(group, engineThreads, threads, seconds);
            runs.put(threads, pair);
            Map<String, Object> scenario = scenario(threads, pair[0], pair[1], oursWarm, referenceWarm);
            String figure = String.format(Locale.ROOT, "%d thread%s ours %.1f/s vs %s %.1f/s (x%.2f)", threads,
                    threads == 1 ? "" : "s", pair[0].perSecond(), group.reference().name(), pair[1].perSecond(),
                    pair[0].perSecond() / pair[1].perSecond());
            if (sharedWarm != null) {
                // after the pair, half as long: a bound to read the ratio against, not a third contestant
                Run shared = timed(group.shared(), engineThreads.shared(), group.files(), threads,
                        Duration.ofSeconds(seconds).toNanos() / 2, new AtomicInteger());
                scenario.put(group.shared().name(), stats(shared, sharedWarm));
                scenario.put("ceilingRatioOursOverReference", ratio(shared.perSecond(), pair[1].perSecond()));
                figure += String.format(Locale.ROOT, " [%s %.1f/s: x%.2f at most]", group.shared().name(),
                        shared.perSecond(), shared.perSecond() / pair[1].perSecond());
                if (threads == 1) {
                    sharedSingle = shared;
                }
            }
            scenarios.add(scenario);
            figures.add(figure);
        }
        g.put("scenarios", scenarios);
        // per-file latencies from the single-thread runs: no contention between files there
        List<Map<String, Object>> verdicts = verdicts(files, folder, oursWarm, referenceWarm, runs.get(1)[0],
                runs.get(1)[1], sharedWarm, sharedSingle);
        long agree = verdicts.stream().filter(v -> Boolean.TRUE.equals(v.get("agree"))).count();
        g.put("verdictsAgree", agree);
        g.put("verdictsDisagree", verdicts.size() - agree);
        g.put("verdicts", verdicts);
        summary.add(group.name() + ": " + String.join(", ", figures) + ", verdicts agree " + agree + "/"
                + verdicts.size());
        return g;
    }

    /**
     * Every file, one thread, round after round, until the rate stops climbing (the JIT has
     * compiled what matters: measured here, phive takes about 10 s to get there), and at least
     * the minimum time and rounds. The first pass is the cold figure and the verdict of record.
     */
    private static WarmUp warmUp(Engine engine, List<Path> files, EngineThreads threads) throws Exception {
        // the first thread's warm-up is the one judged; the others run beside it once its cold first
        // pass is over (which stays the cold figure of one thread), as many rounds as it took in all
        AtomicInteger rounds = new AtomicInteger(Integer.MAX_VALUE);
        List<Future<Object>> others = new CopyOnWriteArrayList<>();
        WarmUp warm = null;
        try {
            warm = threads.on(0, () -> warmUp(engine, files, () -> {
                for (int i = 1; i < threads.count(); i++) {
                    others.add(threads.submit(i, () -> {
                        for (int done = 0; done < rounds.get(); done++) {
                            pass(engine, files);
                        }
                        return null;
                    }));
                }
            }));
        } finally {
            rounds.set(warm == null ? 0 : warm.rounds());
        }
        for (Future<Object> other : others) {
            other.get();
        }
        return warm;
    }

    private static WarmUp warmUp(Engine engine, List<Path> files, Runnable afterFirstPass) {
        long start = System.nanoTime();
        List<Outcome> firstPass = pass(engine, files);
        long firstPassNanos = System.nanoTime() - start;
        afterFirstPass.run();
        int rounds = 1;
        double best = 0;
        int stalled = 0;
        double last;
        while (true) {
            long windowStart = System.nanoTime();
            int windowRounds = 0;
            do {
                pass(engine, files);
                windowRounds++;
            } while (System.nanoTime() - windowStart < WARM_UP_WINDOW.toNanos());
            rounds += windowRounds;
            last = windowRounds * files.size() * 1e9 / (System.nanoTime() - windowStart);
            // one slow window proves nothing (a GC, a compilation): the rate must stall twice in a row
            stalled = best > 0 && last <= best * STEADY_GAIN ? stalled + 1 : 0;
            best = Math.max(best, last);
            boolean steady = stalled >= STEADY_WINDOWS;
            long elapsed = System.nanoTime() - start;
            if (elapsed >= WARM_UP_MAX.toNanos()
                    || steady && rounds >= WARM_UP_MIN_ROUNDS && elapsed >= WARM_UP_MIN.toNanos()) {
                return new WarmUp(firstPass, firstPassNanos, rounds, elapsed, steady, last);
            }
        }
    }

    private static List<Outcome> pass(Engine engine, List<Path> files) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            outcomes.add(attempt(engine, file));
        }
        return outcomes;
    }

    /**
     * ours, reference, reference, ours, ours, reference, reference, ours (ABBA twice over), each for
     * a quarter of the time: a drift of the machine or of the JIT during the scenario then weighs
     * the same on both engines.
     */
    private static Run[] abba(Group group, Threads threads, int count, int seconds) throws Exception {
        long slice = Duration.ofSeconds(seconds).toNanos() / SLICES;
        AtomicInteger oursNext = new AtomicInteger();
        AtomicInteger referenceNext = new AtomicInteger();
        Run ours = null;
        Run reference = null;
        for (int i = 0; i < 2 * SLICES; i++) {
            if (i % 4 == 0 || i % 4 == 3) { // A B B A, A B B A
                Run run = timed(group.ours(), threads.ours(), group.files(), count, slice, oursNext);
                ours = ours == null ? run : ours.plus(run);
            } else {
                Run run = timed(group.reference(), threads.reference(), group.files(), count, slice, referenceNext);
                reference = reference == null ? run : reference.plus(run);
            }
        }
        return new Run[] {ours, reference};
    }

    /**
     * The files round-robin (one shared counter per engine, carried over between its halves, so
     * every engine sees the same mix whatever the thread count) for the given time; a call
     * running at the deadline is finished and counted.
     */
    private static Run timed(Engine engine, EngineThreads engineThreads, List<Path> files, int threads, long nanos,
                             AtomicInteger next) throws Exception {
        System.gc(); // garbage of the previous run is not this run's cost
        long started = System.nanoTime();
        long end = started + nanos;
        List<Future<Worker>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(engineThreads.submit(t, () -> {
                List<Call> mine = new ArrayList<>();
                long finished = started;
                while (finished < end) {
                    int index = Math.floorMod(next.getAndIncrement(), files.size());
                    long t0 = System.nanoTime();
                    Outcome outcome = attempt(engine, files.get(index));
                    finished = System.nanoTime();
                    mine.add(new Call(index, finished - t0, outcome.verdict()));
                }
                return new Worker(mine, finished - started);
            }));
        }
        List<Worker> workers = new ArrayList<>();
        for (Future<Worker> future : futures) {
            workers.add(future.get());
        }
        return new Run(threads, workers);
    }

    /** A failing engine is a finding of the benchmark, not a reason to stop it. */
    private static Outcome attempt(Engine engine, Path file) {
        try {
            return engine.validate(file);
        } catch (Exception e) {
            return Outcome.error(e);
        }
    }

    private static Map<String, Object> scenario(int threads, Run ours, Run reference, WarmUp oursWarm,
                                                WarmUp referenceWarm) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("threads", threads);
        Map<String, Object> o = stats(ours, oursWarm);
        Map<String, Object> r = stats(reference, referenceWarm);
        s.put("ours", o);
        s.put("reference", r);
        s.put("throughputRatioOursOverReference", ratio(ours.perSecond(), reference.perSecond()));
        s.put("medianRatioReferenceOverOurs", ratio((double) r.get("medianMs"), (double) o.get("medianMs")));
        return s;
    }

    private static Map<String, Object> stats(Run run, WarmUp warm) {
        long[] sorted = run.calls().stream().mapToLong(Call::nanos).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invoices", sorted.length);
        m.put("seconds", round(run.seconds(), 2));
        m.put("invoicesPerSecond", round(run.perSecond(), 2));
        m.put("medianMs", Latencies.ms(Latencies.percentile(sorted, 50)));
        m.put("p95Ms", Latencies.ms(Latencies.percentile(sorted, 95)));
        // a verdict differing from the warm-up's for the same file would mean shared state between calls
        m.put("verdictChangesVersusWarmUp", run.calls().stream()
                .filter(c -> !c.verdict().equals(warm.firstPass().get(c.file()).verdict())).count());
        return m;
    }

    private static Map<String, Object> warmUpFacts(WarmUp warm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstPassMs", warm.firstPassNanos() / 1_000_000);
        m.put("rounds", warm.rounds());
        m.put("totalMs", warm.nanos() / 1_000_000);
        m.put("steady", warm.steady());
        m.put("lastWindowInvoicesPerSecond", round(warm.lastWindowPerSecond(), 2));
        return m;
    }

    /**
     * Per file: both verdicts (of the first warm-up pass) and both single-thread medians, and the
     * shared work's median when the group has one.
     */
    private static List<Map<String, Object>> verdicts(List<Path> files, Path folder, WarmUp oursWarm,
                                                      WarmUp referenceWarm, Run oursSingle, Run referenceSingle,
                                                      WarmUp sharedWarm, Run sharedSingle) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Outcome o = oursWarm.firstPass().get(i);
            Outcome r = referenceWarm.firstPass().get(i);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("file", folder.relativize(files.get(i)).toString());
            v.put("format", o.note());
            v.put("ours", o.verdict());
            v.put("reference", r.verdict());
            v.put("agree", o.completed() && r.completed() && o.accepted() == r.accepted());
            v.put("oursMedianMs", Latencies.ms(fileMedian(oursSingle, i)));
            v.put("referenceMedianMs", Latencies.ms(fileMedian(referenceSingle, i)));
            if (sharedSingle != null) {
                // an error here would be a quick call counted in the ceiling: it shows as the verdict
                v.put("shared", sharedWarm.firstPass().get(i).verdict());
                v.put("sharedMedianMs", Latencies.ms(fileMedian(sharedSingle, i)));
            }
            if (!r.completed()) {
                v.put("referenceError", r.note());
            }
            if (!(boolean) v.get("agree")) {
                // what each side objected to: the first thing to read when the verdicts differ
                v.put("oursErrorRules", o.errorRules().get());
                v.put("referenceErrorRules", r.errorRules().get());
            }
            list.add(v);
        }
        return list;
    }

    private static long fileMedian(Run run, int file) {
        return Latencies.percentile(run.calls().stream().filter(c -> c.file() == file).mapToLong(Call::nanos).sorted()
                .toArray(), 50);
    }

    /** How the figures were obtained, for a reader who only has the JSON. */
    private static Map<String, Object> method() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warmUp", "on each engine's first thread (its second one runs the files beside it from the end of the "
                + "cold first pass, as many rounds in all), every file round after round, at least " + WARM_UP_MIN.toSeconds() + " s and "
                + WARM_UP_MIN_ROUNDS + " rounds, until " + STEADY_WINDOWS + " windows of " + WARM_UP_WINDOW.toSeconds()
                + " s in a row are at most " + Math.round((STEADY_GAIN - 1) * 100) + " % faster than the best before "
                + "them (at most " + WARM_UP_MAX.toSeconds() + " s)");
        m.put("scenario", "files round-robin for secondsPerScenario per engine and thread count, in " + SLICES
                + " slices each, in the order ours, reference, reference, ours, twice over; every engine runs on its "
                + "own long-lived threads, those of its warm-up (veraPDF compiles its rule scripts per thread)");
        m.put("invoicesPerSecond", "sum over threads of each thread's invoices / its busy time");
        m.put("ceilingRatioOursOverReference", "Factur-X: veraPDF's PDF/A check alone (the work both engines do "
                + "with the same engine), timed after each pair for half the time on its own warmed threads, over the "
                + "reference's rate: the "
                + "ratio a validator doing nothing else would reach; sharedMedianMs per file");
        m.put("coldStart", "ours compiles its artefacts up front (artefactsLoadMs); the references compile theirs "
                + "lazily, inside their warm-up firstPassMs");
        m.put("verdicts", "first warm-up pass; agree = both completed and accepted (ours accepted or "
                + "accepted-with-warnings) matches valid (reference)");
        return m;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("javaVersion", System.getProperty("java.version"));
        m.put("javaVm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    private static Map<String, Object> references(MustangEngine mustang, PhiveEngine phive) {
        Map<String, Object> facturx = new LinkedHashMap<>();
        facturx.put("engine", "Mustang ZUGFeRDValidator (PDF/A by veraPDF, XSD, Factur-X and BR-FR Schematron)");
        facturx.put("version", mavenVersion("org.mustangproject", "validator"));
        facturx.put("verdict", "last <summary status> of its report: valid / invalid");
        Map<String, Object> ublCii = new LinkedHashMap<>();
        ublCii.put("engine", "phive EN 16931 rules (XSD then CEN Schematron XSLT)");
        ublCii.put("version", mavenVersion("com.helger.phive.rules", "phive-rules-en16931"));
        ublCii.put("vesids", phive.vesids());
        ublCii.put("registryInitMs", phive.initMillis());
        ublCii.put("verdict", "invalid if the result list holds at least one error");
        Map<String, Object> references = new LinkedHashMap<>();
        references.put("facturx", facturx);
        references.put("ubl-cii", ublCii);
        return references;
    }

    /** The version in the jar's Maven metadata: the one actually on the classpath. */
    private static String mavenVersion(String groupId, String artifactId) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = ValidationBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Invoices under the folder, in a stable order so that runs are comparable. */
    private static List<Path> invoices(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(f -> List.of("pdf", "xml").contains(extension(f)))
                    .sorted().toList();
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Double ratio(double a, double b) {
        return b == 0 ? null : round(a / b, 2);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }


    /** Our validator: one shared, thread-safe instance, as in the gateway. */
    private static final class OursEngine implements Engine {
        private final InvoiceValidator validator;

        OursEngine(InvoiceValidator validator) {
            this.validator = validator;
        }

        @Override
        public String name() {
            return "passerelle";
        }

        @Override
        public Outcome validate(Path file) {
            ValidationReport report = validator.validate(file, file.getFileName().toString(),
                    InvoiceValidator.Options.standalone(false));
            if (!report.completed()) {
                return new Outcome("failed", false, false, report.processingError(), List::of);
            }
            return new Outcome(report.verdict(), true, report.accepted(), report.format(),
                    () -> report.findings().stream().filter(f -> f.severity() == Severity.ERROR).map(Finding::rule)
                            .distinct().toList());
        }
    }

    /**
     * veraPDF's PDF/A check alone: the work our validator and Mustang's share on every PDF, against
     * the flavour ours checks, read once per file before timing.
     */
    private static final class PdfaAloneEngine implements Engine {
        private final Map<Path, PDFAFlavour> flavours = new HashMap<>();

        PdfaAloneEngine(List<Path> pdfs) throws Exception {
            for (Path pdf : pdfs) {
                flavours.put(pdf, VeraPdfAlone.flavourOf(pdf));
            }
        }

        @Override
        public String name() {
            return "veraPdfAlone";
        }

        @Override
        public Outcome validate(Path file) throws Exception {
            boolean compliant = VeraPdfAlone.compliant(file, flavours.get(file));
            return new Outcome(compliant ? "pdfa-compliant" : "pdfa-not-compliant", true, compliant, null, List::of);
        }
    }

    /**
     * Mustang's validator. An instance keeps the state of its last run (context, flags, start
     * time), so it is not thread-safe: a new one per call, hence per thread. What it shares
     * between instances (ph-schematron's compiled XSLT cache, veraPDF's foundry) is static and
     * made for concurrent use; verdictChangesVersusWarmUp checks that under two threads.
     */
    private static final class MustangEngine implements Engine {
        private static final Pattern SUMMARY = Pattern.compile("<summary status=\"(\\w+)\"");
        /** An error of the report, its type and text; the text names the Schematron rule, if any. */
        private static final Pattern ERROR = Pattern.compile("<error type=\"(\\d+)\"[^>]*>(.*?)</error>",
                Pattern.DOTALL);
        private static final Pattern RULE_ID = Pattern.compile("\\[ID ([^\\]]+)\\]");

        @Override
        public String name() {
            return "mustang";
        }

        @Override
        public Outcome validate(Path file) {
            String report = new ZUGFeRDValidator().validate(file.toAbsolutePath().toString());
            // the report nests a summary per part (pdf, xml); the last one is the overall verdict
            Matcher m = SUMMARY.matcher(report);
            String status = null;
            while (m.find()) {
                status = m.group(1);
            }
            if (status == null) {
                return new Outcome("error", false, false, "no <summary status> in the report", List::of);
            }
            return new Outcome(status, true, status.equals("valid"), null, () -> errorRules(report));
        }

        private static List<String> errorRules(String report) {
            List<String> rules = new ArrayList<>();
            Matcher m = ERROR.matcher(report);
            while (m.find()) {
                Matcher id = RULE_ID.matcher(m.group(2));
                rules.add(id.find() ? id.group(1) : "type " + m.group(1));
            }
            return rules.stream().distinct().toList();
        }
    }

    /**
     * phive's EN 16931 rules, full validation: the UBL / CII XSD then the CEN Schematron, the
     * newest version of each rule set present. phive must be told the document type: that choice
     * is made once per file before timing, as a caller would from the intake's format sniff.
     */
    private static final class PhiveEngine implements Engine {
        private final ValidationExecutorSetRegistry<IValidationSourceXML> registry =
                new ValidationExecutorSetRegistry<>();
        private final long initMillis;
        private final Map<String, IValidationExecutorSet<IValidationSourceXML>> byRoot;
        private Map<Path, IValidationExecutorSet<IValidationSourceXML>> byFile = Map.of();

        PhiveEngine() {
            long start = System.nanoTime();
            EN16931Validation.initEN16931(registry); // registers only: the XSLT is compiled on first use
            initMillis = (System.nanoTime() - start) / 1_000_000;
            byRoot = Map.of(
                    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 Invoice",
                    newest(EN16931Validation.VID_UBL_INVOICE_1314_2),
                    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2 CreditNote",
                    newest(EN16931Validation.VID_UBL_CREDIT_NOTE_1314_2),
                    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100 CrossIndustryInvoice",
                    newest(EN16931Validation.VID_CII_1314_2));
        }

        private IValidationExecutorSet<IValidationSourceXML> newest(DVRCoordinate known) {
            IValidationExecutorSet<IValidationSourceXML> set = registry.getLatestVersion(known.getGroupID(),
                    known.getArtifactID(), null);
            return set != null ? set : registry.getOfID(known);
        }

        /** Chooses the rule set of each file; files it has none for are listed as skipped. */
        List<Path> prepare(List<Path> files, Path folder, List<Map<String, Object>> skipped) {
            Map<Path, IValidationExecutorSet<IValidationSourceXML>> sets = new HashMap<>();
            List<Path> supported = new ArrayList<>();
            for (Path file : files) {
                String root = rootElement(file);
                IValidationExecutorSet<IValidationSourceXML> set = byRoot.get(root);
                if (set == null) {
                    skipped.add(Map.of("file", folder.relativize(file).toString(),
                            "reason", "no EN 16931 rule set for root element " + root));
                } else {
                    sets.put(file, set);
                    supported.add(file);
                }
            }
            byFile = Map.copyOf(sets); // immutable before any worker thread starts
            return supported;
        }

        List<String> vesids() {
            return byRoot.values().stream().map(s -> s.getID().getAsSingleID()).sorted().toList();
        }

        long initMillis() {
            return initMillis;
        }

        @Override
        public String name() {
            return "phive";
        }

        @Override
        public Outcome validate(Path file) {
            IValidationExecutorSet<IValidationSourceXML> set = byFile.get(file);
            ValidationResultList results = ValidationExecutionManager.executeValidation(set,
                    ValidationSourceXML.create(new FileSystemResource(file.toFile())));
            boolean error = results.containsAtLeastOneError();
            return new Outcome(error ? "invalid" : "valid", true, !error, set.getID().getAsSingleID(),
                    () -> errorRules(results));
        }

        private static List<String> errorRules(ValidationResultList results) {
            List<String> rules = new ArrayList<>();
            results.forEachFlattened(IError::isError, e -> rules.add(e.getErrorID() != null ? e.getErrorID()
                    : e.getErrorText(Locale.ROOT)));
            return rules.stream().distinct().toList();
        }

        /** "namespace localName" of the root element, or a description of why there is none. */
        private static String rootElement(Path file) {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            try (InputStream in = Files.newInputStream(file)) {
                XMLStreamReader reader = factory.createXMLStreamReader(in);
                try {
                    while (reader.hasNext()) {
                        if (reader.next() == XMLStreamReader.START_ELEMENT) {
                            return reader.getNamespaceURI() + " " + reader.getLocalName();
                        }
                    }
                    return "(none)";
                } finally {
                    reader.close();
                }
            } catch (IOException | XMLStreamException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
