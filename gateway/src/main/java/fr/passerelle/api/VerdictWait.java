package fr.passerelle.api;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;
import fr.passerelle.flow.Transition;

/**
 * ?wait=N on POST /api/v1/flows: holds the answer until the flow has its validation verdict (it
 * leaves RECEIVED) or the time is up. A verdict given on this node wakes the caller at once
 * ({@link #statusChanged}, told by the flow store's transition events); one given on another
 * node of the cluster is seen by re-reading the store every {@link #RECHECK}.
 */
public final class VerdictWait {

    /** Callers waiting at once: each holds an HTTP worker, so the rest of the API is never starved. */
    static final int MAX_WAITERS = 8;
    /** How often the store is read again, for a verdict this node was not told of. */
    static final Duration RECHECK = Duration.ofMillis(250);

    private final FlowStore flows;
    private final Semaphore seats = new Semaphore(MAX_WAITERS);
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    public VerdictWait(FlowStore flows) {
        this.flows = flows;
    }

    /** A flow's status changed (committed): whoever waits for it looks again. */
    public void statusChanged(Transition t) {
        Set<CompletableFuture<Void>> woken = waiting.remove(t.flowId());
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    /**
     * The flow once judged, or as it is when {@code wait} is over. Past MAX_WAITERS callers are
     * answered at once with the flow as it is.
     */
    Flow await(Flow flow, Duration wait) {
        if (!seats.tryAcquire()) {
            return flow;
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            Flow current = flow;
            while (current.status() == FlowStatus.RECEIVED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                CompletableFuture<Void> woken = register(flow.id());
                try {
                    // read after registering: a change committed in between is seen here, not missed
                    current = flows.find(flow.id()).orElse(current);
                    if (current.status() != FlowStatus.RECEIVED) {
                        break;
                    }
                    woken.get(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException recheck) {
                    // no news on this node: the store is read again (another node may have judged it)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException impossible) {
                    // only ever completed normally
                } finally {
                    unregister(flow.id(), woken);
                }
            }
            return current;
        } finally {
            seats.release();
        }
    }

    private CompletableFuture<Void> register(String flowId) {
        CompletableFuture<Void> woken = new CompletableFuture<>();
        waiting.compute(flowId, (id, set) -> {
            Set<CompletableFuture<Void>> all = set == null ? ConcurrentHashMap.newKeySet() : set;
            all.add(woken);
            return all;
        });
        return woken;
    }

    private void unregister(String flowId, CompletableFuture<Void> woken) {
        waiting.computeIfPresent(flowId, (id, set) -> {
            set.remove(woken);
            return set.isEmpty() ? null : set;
        });
    }
}
