package fr.passerelle.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One chaos run's options: what the harness does is decided by the seed (kill moments and
 * triggers, simulator modes, pauses); the same seed replays the same plan (the timing of a real
 * process is not replayed, only what the harness chooses).
 *
 * <p>System properties (all optional): {@code chaos.seed}, {@code chaos.kills} (5),
 * {@code chaos.communes} (aubeval,belcourt), {@code chaos.rate} (invoices per second per commune,
 * 2), {@code chaos.settle-seconds} (final wait for every invoice to be acknowledged, 90),
 * {@code chaos.trigger-wait-seconds} (longest wait for a kill's condition, then the kill happens
 * anyway, 20), {@code chaos.final-load-seconds} (load kept after the last restart, 5),
 * {@code chaos.start-seconds} (longest wait for a started gateway's API, 120),
 * {@code chaos.jvm} (the gateway's JVM options), and {@code chaos.set.<key>=<value>}: more
 * {@code --set} overrides for the gateway, where {@code {data}} stands for its data folder.
 */
public record ChaosRun(long seed, Database database, int kills, List<String> communes, double ratePerCommune,
                       Duration triggerWait, Duration settle, Duration finalLoad, Duration startTimeout,
                       List<String> jvmOptions, Map<String, String> extraSettings, Path reportDir) {

    public enum Database {
        H2, POSTGRESQL;

        public String label() {
            return this == H2 ? "h2" : "postgresql";
        }
    }

    public ChaosRun {
        if (kills < 0) {
            throw new IllegalArgumentException("kills >= 0");
        }
        if (communes.size() < 2) {
            throw new IllegalArgumentException("at least two communes");
        }
        communes = List.copyOf(communes);
        jvmOptions = List.copyOf(jvmOptions);
        extraSettings = Map.copyOf(extraSettings);
    }

    /** The run described by the system properties; a random seed when none is given. */
    public static ChaosRun fromSystemProperties(Database database) {
        Long given = Long.getLong("chaos.seed");
        long seed = given != null ? given : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Properties p = System.getProperties();
        Map<String, String> extra = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("chaos.set.")) {
                extra.put(name.substring("chaos.set.".length()), p.getProperty(name));
            }
        }
        List<String> communes = Arrays.stream(System.getProperty("chaos.communes", "aubeval,belcourt").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<String> jvm = Arrays.stream(System.getProperty("chaos.jvm",
                "-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC").split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new ChaosRun(seed, database, Integer.getInteger("chaos.kills", 5), communes,
                Double.parseDouble(System.getProperty("chaos.rate", "2")),
                Duration.ofSeconds(Integer.getInteger("chaos.trigger-wait-seconds", 20)),
                Duration.ofSeconds(Integer.getInteger("chaos.settle-seconds", 90)),
                Duration.ofSeconds(Integer.getInteger("chaos.final-load-seconds", 5)),
                Duration.ofSeconds(Integer.getInteger("chaos.start-seconds", 120)),
                jvm, extra, Path.of("target"));
    }

    /** {@code chaos-<db>-<seed>}: the name of this run's JSON summary and log folder under target/. */
    public String name() {
        return "chaos-" + database.label() + "-" + seed;
    }

    /** The replay command of this run. */
    public String replay() {
        return "mvn -B verify -Dtest=CrashChaosTest#" + (database == Database.H2 ? "h2" : "postgresql")
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.seed=" + seed + " -Dchaos.kills=" + kills;
    }
}
