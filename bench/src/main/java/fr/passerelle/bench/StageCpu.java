package fr.passerelle.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU a running gateway spends, per pipeline stage, between two snapshots: every Java thread's
 * CPU time (ThreadMXBean) summed by the stage its name says it works for (Camel names a consumer
 * thread after its queue), the process CPU beside it, and what no Java thread accounts for (JIT
 * compiler and GC threads, threads that ended between the snapshots). The database (H2, embedded)
 * runs on the threads that call it: its cost is inside each stage.
 */
final class StageCpu {

    /** Stages in pipeline order, then what serves them all. */
    static final List<String> STAGES = List.of("intake", "validation", "packing", "signing", "delivery", "returns",
            "broker", "database", "housekeeping", "treasurySimulator", "benchClients", "otherThreads");

    record Snapshot(Map<Long, Long> cpuByThread, Map<Long, String> names, long processCpuNanos, long compileMillis,
                    long gcMillis) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static Snapshot take() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = THREADS.getThreadCpuTime(info.getThreadId());
            if (t >= 0) {
                cpu.put(info.getThreadId(), t);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        long gc = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, bean.getCollectionTime());
        }
        long compile = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Snapshot(cpu, names, process, compile, gc);
    }

    /** CPU nanoseconds per stage between the two snapshots, plus "notInJavaThreads" and "process". */
    static Map<String, Long> between(Snapshot before, Snapshot after) {
        Map<String, Long> byStage = new LinkedHashMap<>();
        STAGES.forEach(s -> byStage.put(s, 0L));
        long threads = 0;
        for (Map.Entry<Long, Long> e : after.cpuByThread().entrySet()) {
            long used = e.getValue() - before.cpuByThread().getOrDefault(e.getKey(), 0L);
            byStage.merge(stageOf(after.names().get(e.getKey())), used, Long::sum);
            threads += used;
        }
        long process = after.processCpuNanos() - before.processCpuNanos();
        byStage.put("notInJavaThreads", Math.max(0, process - threads));
        byStage.put("process", process);
        return byStage;
    }

    /** The busiest threads no stage claims, to keep {@link #stageOf} honest. */
    static Map<String, Long> unclaimed(Snapshot before, Snapshot after, int top) {
        Map<String, Long> byName = new TreeMap<>();
        for (Map.Entry<Long, Long> e : after.cpuByThread().entrySet()) {
            String name = after.names().get(e.getKey());
            if (stageOf(name).equals("otherThreads")) {
                byName.merge(name.replaceAll("\\d+", "N"), e.getValue() - before.cpuByThread().getOrDefault(e.getKey(), 0L),
                        Long::sum);
            }
        }
        Map<String, Long> busiest = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> busiest.put(e.getKey(), e.getValue()));
        return busiest;
    }

    static String stageOf(String thread) {
        if (thread.contains("passerelle.validate]") || thread.startsWith("validation-judge")) {
            return "validation";
        }
        if (thread.startsWith("vert.x-") || thread.startsWith("passerelle-hand-off-marks")) {
            return "intake";
        }
        if (thread.contains("passerelle.pes]") || thread.contains("pes-pack")) {
            return "packing";
        }
        if (thread.contains("passerelle.sign]")) {
            return "signing";
        }
        if (thread.contains("passerelle.treasury.")) {
            return "delivery";
        }
        if (thread.contains("/retour") || thread.contains("passerelle.notify]") || thread.contains("treasury-returns")) {
            return "returns";
        }
        if (thread.contains("ActiveMQ") || thread.contains("activemq") || thread.contains("Artemis")) {
            return "broker";
        }
        if (thread.contains("MVStore") || thread.startsWith("H2 ") || thread.contains("passerelle-db")
                || thread.equals("h2-compaction")) {
            return "database";
        }
        if (thread.contains("recovery-sweep") || thread.contains("timer://") || thread.startsWith("Camel")) {
            return "housekeeping";
        }
        if (thread.startsWith("bench-client") || thread.startsWith("HttpClient")) {
            return "benchClients";
        }
        if (thread.startsWith("helios-simulator") || thread.startsWith("NioProcessor")
                || thread.startsWith("NioSocketAcceptor") || thread.contains("FtpServer")) {
            return "treasurySimulator";
        }
        return "otherThreads";
    }
}
