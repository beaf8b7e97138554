package fr.passerelle.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hand-off marks of received flows, written in batches off the intake thread. The mark only
 * spares a queued flow an early second wake-up ({@link FlowRecovery#handedOff(List)}); written one
 * by one it cost every intake a second commit and, under load, a wait on the row the validation
 * was updating. A mark lost (a crash, a database error) costs one harmless extra wake-up after the
 * grace, never a flow. Closing writes the marks still pending.
 */
public final class HandOffMarks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandOffMarks.class);
    private static final int BATCH = 1000;

    private final FlowRecovery recovery;
    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    private final PeriodicTask writer;

    public HandOffMarks(FlowRecovery recovery, long periodMillis) {
        this.recovery = recovery;
        this.writer = new PeriodicTask("passerelle-hand-off-marks", Duration.ofMillis(periodMillis), this::write);
    }

    /** The flow's wake-up is on its queue; its mark is written with the next batch. */
    public void handedOff(String flowId) {
        pending.add(flowId);
    }

    /** Writes the pending marks now; answers how many were written. */
    public synchronized int write() {
        int written = 0;
        List<String> batch = new ArrayList<>(BATCH);
        for (String id = pending.poll(); id != null; id = pending.poll()) {
            batch.add(id);
            if (batch.size() == BATCH) {
                written += write(batch);
                batch.clear();
            }
        }
        return written + write(batch);
    }

    private int write(List<String> batch) {
        try {
            recovery.handedOff(batch);
            return batch.size();
        } catch (RuntimeException e) {
            LOG.warn("{} hand-off marks not written ({}): those flows may be woken once more after the grace",
                    batch.size(), e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        writer.close();
        write();
    }
}
