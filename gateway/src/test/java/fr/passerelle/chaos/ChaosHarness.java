package fr.passerelle.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import fr.passerelle.GatewayProcess;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * A Jepsen-style run against the real gateway: invoices stream in for several communes while the
 * gateway process (its own JVM, embedded Artemis, H2 or PostgreSQL) is killed with SIGKILL at
 * seeded moments and started again on the same data folder; between kills the Hélios simulator
 * (in this JVM: it sees every delivery and outlives the kills) misbehaves as the seed says. After
 * the last restart the simulator is NORMAL, acknowledges what it had dropped, the load stops, and
 * the harness waits (bounded) for every accepted invoice to be ACKNOWLEDGED; then it judges:
 * every accepted invoice acknowledged, found exactly once at the treasury, none lost, no upload
 * left half done.
 */
public final class ChaosHarness {

    private static final Duration POLL = Duration.ofMillis(10);
    private static final Pattern VALIDATED = Pattern.compile("\\) VALIDATED: ");
    private static final Pattern PACKED = Pattern.compile("PES flow \\S+ of \\S+ built with");
    private static final Pattern SIGNED = Pattern.compile("Flow \\S+ of \\S+ signed$");
    private static final Pattern TRANSMITTED = Pattern.compile(" transmitted as ");
    private static final Pattern ACKNOWLEDGED = Pattern.compile(" ACKNOWLEDGED by the treasury");

    private final ChaosRun run;
    private final Path work;
    private final Path logs;
    private final long started = System.nanoTime();
    private final List<ChaosVerdict.Kill> killLog = new ArrayList<>();
    private int kills;
    private int unexpectedExits;
    private int droppedThenAcknowledged;
    private HeliosSimulator simulator;
    private GatewayProcess gateway;
    private InvoiceStream stream;
    private List<InvoiceStream.Commune> communes;

    private ChaosHarness(ChaosRun run, Path work) {
        this.run = run;
        this.work = work;
        this.logs = run.reportDir().resolve(run.name());
    }

    /** Runs the whole scenario in {@code work} (the gateway's data folder and the treasury's go there). */
    public static ChaosVerdict run(ChaosRun run, Path work) throws Exception {
        return new ChaosHarness(run, work).run();
    }

    private ChaosVerdict run() throws Exception {
        cleanLogs();
        say("chaos seed %d on %s, %d kills, communes %s; replay: %s", run.seed(), run.database().label(), run.kills(),
                run.communes(), run.replay());
        List<KillPlan> plans = KillPlan.draw(run.seed(), run.kills());
        plans.forEach(p -> say("plan %s", p));
        TenantRegistry tenants = TenantRegistry.load(Path.of("config", "tenants.yaml"));
        communes = run.communes().stream().map(id -> new InvoiceStream.Commune(id,
                tenants.commune(id).orElseThrow(() -> new IllegalArgumentException("no commune " + id)).siret(),
                "demo-key-" + id)).toList();
        EmbeddedPostgres postgres = null;
        try {
            simulator = new HeliosSimulator(new HeliosSimulator.Options(work.resolve("helios"), "127.0.0.1", 0, -1,
                    "passerelle", "simulateur", Duration.ofMillis(200), null)).start();
            Map<String, String> database = new LinkedHashMap<>();
            if (run.database() == ChaosRun.Database.POSTGRESQL) {
                postgres = EmbeddedPostgres.start();
                database.put("passerelle.db.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
                database.put("passerelle.db.user", "postgres");
                database.put("passerelle.db.password", "postgres");
                say("PostgreSQL on port %d", postgres.getPort());
            }
            gateway = new GatewayProcess(Files.createDirectories(work.resolve("gateway")), logs, run.jvmOptions(),
                    () -> settings(database), communes.get(0).apiKey());
            stream = new InvoiceStream(communes, run.ratePerCommune(), Long.toString(run.seed(), 36), gateway::api);
            stream.start();
            for (KillPlan plan : plans) {
                cycle(plan);
            }
            return finalPhase();
        } finally {
            if (stream != null) {
                stream.stop();
            }
            if (gateway != null) {
                gateway.close();
            }
            if (simulator != null) {
                simulator.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** The gateway's --set overrides: test pace, the simulator of this JVM, the database. */
    private Map<String, String> settings(Map<String, String> database) {
        // every validated invoice is packed at the next look, once a second: flows of a few PJ
        Map<String, String> s = new LinkedHashMap<>(TestGateway.processOverrides(simulator.ftpPort(), "1000"));
        // a wake-up lost after its hand-off is sent again within the final wait
        s.put("passerelle.recovery.rewake-after", "PT30S");
        s.put("passerelle.broker.redelivery-delay-ms", "200");
        s.put("passerelle.broker.max-redelivery-delay-ms", "2000");
        // a treasury down for a whole cycle must not exhaust the attempts (FAILED waits for an operator:
        // that is the designed end of a long outage, not what this harness looks for)
        s.put("passerelle.treasury.max-attempts", "200");
        s.put("passerelle.treasury.max-retry-delay-ms", "2000");
        // H2's file compaction at work nearly all the time, so that kills land in it too
        s.put("passerelle.db.h2-compaction-period", "PT0.1S");
        s.put("passerelle.db.h2-compaction-below-fill-rate", "95");
        s.putAll(database);
        s.putAll(run.extraSettings());
        return s;
    }

    // ---- the kills

    private void cycle(KillPlan plan) throws Exception {
        simulator.lateDelay(Duration.ofMillis(plan.lateDelayMs()));
        simulator.mode(plan.mode());
        long launched = System.nanoTime();
        gateway.launch();
        long api = -1;
        boolean seen;
        if (plan.trigger() == KillPlan.Trigger.STARTUP) {
            seen = !waitFor(() -> !gateway.isAlive(), Duration.ofMillis(plan.delayMs()));
        } else {
            if (!gateway.awaitApi(run.startTimeout())) {
                if (!gateway.isAlive()) {
                    exitedOnItsOwn(plan, launched);
                    return;
                }
                say("gateway %d: no API after %s", gateway.starts(), run.startTimeout());
            } else {
                api = System.nanoTime();
            }
            seen = awaitTrigger(plan);
            if (seen && plan.jitterMs() > 0) {
                Thread.sleep(plan.jitterMs()); // the planned delay after the condition, not a wait for a result
            }
        }
        if (!gateway.isAlive()) {
            exitedOnItsOwn(plan, launched);
            return;
        }
        long at = System.nanoTime();
        boolean killed = gateway.kill();
        if (killed) {
            kills++;
        }
        ChaosVerdict.Kill k = new ChaosVerdict.Kill(plan.n(), plan.trigger().name(), plan.trigger().aimedAt,
                plan.mode().name(), seen, killed, (at - launched) / 1_000_000, api < 0 ? -1 : (at - api) / 1_000_000,
                gateway.log().getFileName().toString());
        killLog.add(k);
        say("kill %d/%d: %s (%s), simulator %s, condition %s, %d ms after launch", plan.n(), run.kills(),
                plan.trigger(), plan.trigger().aimedAt, plan.mode(), seen ? "seen" : "not seen (deadline)",
                k.msAfterLaunch());
        Thread.sleep(plan.downMs()); // the gateway stays down a while: the load meets a refused connection
    }

    private void exitedOnItsOwn(KillPlan plan, long launched) {
        unexpectedExits++;
        killLog.add(new ChaosVerdict.Kill(plan.n(), plan.trigger().name(), plan.trigger().aimedAt, plan.mode().name(),
                false, false, (System.nanoTime() - launched) / 1_000_000, -1, gateway.log().getFileName().toString()));
        say("gateway %d EXITED ON ITS OWN (code %s), see %s", gateway.starts(), gateway.exitCode(), gateway.log());
    }

    /** Waits for the plan's condition (or its delay); false when the deadline came first. */
    private boolean awaitTrigger(KillPlan plan) throws IOException, InterruptedException {
        Duration deadline = run.triggerWait();
        switch (plan.trigger()) {
            case TIMER -> {
                return !waitFor(() -> !gateway.isAlive(), Duration.ofMillis(plan.delayMs()));
            }
            case ACCEPTED -> {
                long before = stream.acceptedCount();
                return waitFor(() -> stream.acceptedCount() > before, deadline);
            }
            case VALIDATED -> {
                return waitFor(new LogWatch(gateway.log(), VALIDATED)::seen, deadline);
            }
            case PACKED -> {
                return waitFor(new LogWatch(gateway.log(), PACKED)::seen, deadline);
            }
            case SIGNED -> {
                return waitFor(new LogWatch(gateway.log(), SIGNED)::seen, deadline);
            }
            case TRANSMITTED -> {
                return waitFor(new LogWatch(gateway.log(), TRANSMITTED)::seen, deadline);
            }
            case ACKNOWLEDGED -> {
                return waitFor(new LogWatch(gateway.log(), ACKNOWLEDGED)::seen, deadline);
            }
            case PART_FILE -> {
                Map<String, Long> before = partSizes();
                return waitFor(() -> {
                    Map<String, Long> now = partSizes();
                    return now.entrySet().stream().anyMatch(e -> !e.getValue().equals(before.get(e.getKey())));
                }, deadline);
            }
            case DELIVERED -> {
                int before = simulator.deliveries().size();
                return waitFor(() -> simulator.deliveries().size() > before, deadline);
            }
            case ACK_TAKEN -> {
                Set<String> written = new HashSet<>();
                return waitFor(() -> {
                    Set<String> now = retourFiles();
                    boolean taken = written.stream().anyMatch(n -> !now.contains(n));
                    written.addAll(now);
                    return taken;
                }, deadline);
            }
            default -> throw new IllegalStateException(plan.trigger().name());
        }
    }

    /** Polls the condition until true (answers true) or the time is up or the gateway died (false). */
    private boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!gateway.isAlive()) {
                return false;
            }
            Thread.sleep(POLL.toMillis()); // polling interval of the condition
        }
        return false;
    }

    private Map<String, Long> partSizes() {
        Map<String, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(simulator.depot())) {
            files.filter(f -> f.getFileName().toString().endsWith(".part"))
                    .forEach(f -> sizes.put(f.getFileName().toString(), f.toFile().length()));
        } catch (IOException e) {
            // listed again at the next poll
        }
        return sizes;
    }

    private Set<String> retourFiles() {
        try (Stream<Path> files = Files.list(simulator.retour())) {
            return files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    // ---- the end

    private ChaosVerdict finalPhase() throws Exception {
        simulator.mode(HeliosSimulator.Mode.NORMAL);
        boolean up = false;
        for (int attempt = 1; attempt <= 3 && !up; attempt++) {
            gateway.launch();
            up = gateway.awaitApi(run.startTimeout());
            if (!up && !gateway.isAlive()) {
                unexpectedExits++;
                say("final gateway %d EXITED ON ITS OWN (code %s), see %s", gateway.starts(), gateway.exitCode(),
                        gateway.log());
            } else if (!up) {
                say("final gateway %d: no API after %s", gateway.starts(), run.startTimeout());
                break;
            }
        }
        say("final phase: simulator NORMAL, gateway %s, load for %s more", up ? "up" : "NOT UP", run.finalLoad());
        Thread.sleep(run.finalLoad().toMillis()); // the load goes on this long after the last restart
        stream.stop();
        List<InvoiceStream.Invoice> accepted = stream.acceptedInvoices();
        say("load stopped: %d invoices accepted of %d posted (%d POSTs, %d unanswered); waiting up to %s for them "
                + "all to be ACKNOWLEDGED", accepted.size(), stream.invoices().size(), stream.attempts(),
                stream.unanswered(), run.settle());
        long end = System.nanoTime() + run.settle().toNanos();
        int acknowledged = 0;
        while (true) {
            droppedThenAcknowledged += simulator.acknowledgePending();
            Set<String> done = acknowledgedIds();
            acknowledged = (int) accepted.stream().filter(i -> done.contains(i.flowId)).count();
            if (acknowledged == accepted.size() || System.nanoTime() > end) {
                break;
            }
            Thread.sleep(1000); // polling interval of the condition
        }
        say("%d of %d acknowledged (%s)", acknowledged, accepted.size(),
                acknowledged == accepted.size() ? "all" : "deadline reached");
        if (acknowledged < accepted.size()) {
            say("threads of the final gateway: %s", gateway.threadDump("gateway-" + gateway.starts() + "-threads.txt"));
        }
        return verdict(accepted);
    }

    /** The ids of every ACKNOWLEDGED flow of the run's communes (the list API, page by page). */
    private Set<String> acknowledgedIds() {
        Set<String> ids = new HashSet<>();
        for (InvoiceStream.Commune c : communes) {
            for (int offset = 0; ; offset += 1000) {
                JsonNode page = get(c.apiKey(), "/api/v1/flows?status=ACKNOWLEDGED&limit=1000&offset=" + offset);
                if (page == null || !page.has("flows")) {
                    break;
                }
                page.get("flows").forEach(f -> ids.add(f.get("id").asText()));
                if (page.get("flows").size() < 1000) {
                    break;
                }
            }
        }
        return ids;
    }

    private ChaosVerdict verdict(List<InvoiceStream.Invoice> accepted) throws IOException {
        DeliveryLedger.Count ledger = DeliveryLedger.count(simulator);
        List<String> parts = DeliveryLedger.partFiles(simulator);
        int acknowledged = 0;
        int deliveredTwice = 0;
        int stalled = 0;
        int refused = 0;
        int lost = 0;
        int notDelivered = 0;
        List<ChaosVerdict.Failure> failures = new ArrayList<>();
        for (InvoiceStream.Invoice invoice : accepted) {
            HttpResponse<String> r = send(invoice.commune.apiKey(), "/api/v1/flows/" + invoice.flowId);
            JsonNode flow = r != null && r.statusCode() == 200 ? Json.parse(r.body()) : null;
            String status = flow != null ? flow.get("status").asText()
                    : r == null ? "no answer" : r.statusCode() == 404 ? "404 (unknown)" : "HTTP " + r.statusCode();
            int times = ledger.timesDelivered(invoice.sha256);
            List<String> problems = new ArrayList<>();
            if (r != null && r.statusCode() == 404) {
                lost++;
                problems.add("lost");
            } else if ("REFUSED".equals(status)) {
                refused++;
                problems.add("refused");
            } else if (!"ACKNOWLEDGED".equals(status)) {
                stalled++;
                problems.add("stalled");
            } else {
                acknowledged++;
            }
            if (times > 1) {
                deliveredTwice++;
                problems.add("deliveredTwice");
            } else if (times == 0) {
                notDelivered++;
                problems.add("notDelivered");
            }
            if (!problems.isEmpty()) {
                failures.add(failure(invoice, String.join("+", problems), status, times, flow));
            }
        }
        boolean passed = ChaosVerdict.passes(kills, run.kills(), accepted.size(), acknowledged, deliveredTwice,
                stalled, lost, notDelivered, parts.size()) && ledger.unreadable().isEmpty()
                && ledger.files() == ledger.deliveriesRecorded() && unexpectedExits == 0;
        List<String> refusals = stream.invoices().stream().filter(i -> i.refusal != null)
                .map(i -> i.number + ": " + i.refusal).limit(20).toList();
        return new ChaosVerdict(run.seed(), run.database().label(), kills, run.kills(), accepted.size(), acknowledged,
                deliveredTwice, stalled, lost, refused, notDelivered, parts.size(), (System.nanoTime() - started) / 1_000_000_000,
                passed, run.communes(),
                new ChaosVerdict.Load(stream.attempts(), stream.unanswered(), stream.duplicateAnswers(),
                        stream.refusedCount(), stream.invoices().size(), refusals),
                new ChaosVerdict.Treasury(ledger.deliveriesRecorded(), ledger.files(), ledger.pjs(),
                        simulator.acquittementsWritten().size(), droppedThenAcknowledged, ledger.unreadable(), parts,
                        retourFiles().stream().sorted().toList()),
                gateway.starts(), unexpectedExits, failures, List.copyOf(killLog), logs.toString(), run.replay());
    }

    private ChaosVerdict.Failure failure(InvoiceStream.Invoice invoice, String problem, String status, int times,
                                         JsonNode flow) {
        String pesFlow = null;
        String nomFic = null;
        String pesFlowStatus = null;
        String acquittement = null;
        String lastEvent = null;
        if (flow != null) {
            if (flow.has("pes") && flow.get("pes").has("nomFic")) {
                nomFic = flow.get("pes").get("nomFic").asText();
                acquittement = acquittementOf(nomFic);
            }
            if (flow.has("pes") && flow.get("pes").has("flow")) {
                pesFlow = flow.get("pes").get("flow").asText().replace("/api/v1/flows/", "");
                JsonNode pes = get(invoice.commune.apiKey(), "/api/v1/flows/" + pesFlow);
                if (pes != null) {
                    pesFlowStatus = pes.get("status").asText();
                    JsonNode t = pes.path("treasury").path("transmission");
                    if (!t.isMissingNode()) {
                        pesFlowStatus += " (transmission " + t.path("state").asText() + ", attempts "
                                + t.path("attempts").asText() + ")";
                    }
                }
            }
            JsonNode history = flow.path("history");
            if (history.size() > 0) {
                JsonNode last = history.get(history.size() - 1);
                lastEvent = last.path("at").asText() + " " + last.path("status").asText() + " "
                        + last.path("detail").asText();
            }
        }
        return new ChaosVerdict.Failure(invoice.flowId, invoice.commune.id(), invoice.number, problem, status, times,
                pesFlow, nomFic, pesFlowStatus, acquittement, lastEvent);
    }

    /** What became of the simulator's acquittement of a NomFic: none written, still waiting in retour/, or taken. */
    private String acquittementOf(String nomFic) {
        String bare = nomFic.replaceFirst("(?i)\\.xml$", "");
        List<String> written = simulator.acquittementsWritten().stream().map(f -> f.getFileName().toString())
                .filter(n -> n.contains("-ACK-" + bare + "_")).toList();
        if (written.isEmpty()) {
            return simulator.deliveries().stream().anyMatch(d -> bare.equals(d.nomFic()))
                    ? "none written (delivered; dropped or not processed yet)" : "none written (not delivered)";
        }
        Set<String> left = retourFiles();
        return written.stream().map(n -> n + (left.contains(n) ? " (still in retour/: never taken)" : " (taken)"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private JsonNode get(String apiKey, String path) {
        HttpResponse<String> r = send(apiKey, path);
        return r != null && r.statusCode() == 200 ? Json.parse(r.body()) : null;
    }

    private HttpResponse<String> send(String apiKey, String path) {
        return gateway.get(apiKey, path);
    }

    private void cleanLogs() throws IOException {
        if (Files.isDirectory(logs)) {
            try (Stream<Path> old = Files.list(logs)) {
                for (Path f : (Iterable<Path>) old::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Files.createDirectories(logs);
    }

    /** A line on stdout and in {@code <logs>/harness.log}, with the time since the start and the wall clock. */
    private void say(String format, Object... args) {
        String line = String.format("[chaos %6.1fs %s] %s%n", (System.nanoTime() - started) / 1e9,
                java.time.LocalTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), String.format(format, args));
        System.out.print(line);
        System.out.flush();
        try {
            Files.writeString(logs.resolve("harness.log"), line, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // stdout has it
        }
    }

    /** New lines of a growing log file, matched against a pattern. */
    private static final class LogWatch {
        private final Path file;
        private final Pattern pattern;
        private long offset;
        private String partial = "";

        LogWatch(Path file, Pattern pattern) {
            this.file = file;
            this.pattern = pattern;
            this.offset = file.toFile().length(); // lines already there do not count
        }

        boolean seen() {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                if (length <= offset) {
                    return false;
                }
                byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
                f.seek(offset);
                f.readFully(bytes);
                offset += bytes.length;
                String[] lines = (partial + new String(bytes, StandardCharsets.UTF_8)).split("\n", -1);
                partial = lines[lines.length - 1];
                for (int i = 0; i < lines.length - 1; i++) {
                    if (pattern.matcher(lines[i]).find()) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
