package fr.passerelle.flow;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow store's announcements: every change of status committed on this node, told as a
 * {@link Transition} with the flow's facts, without reading the database again. The facts come
 * from a bounded memory of the flows this node last read or wrote (least recently used dropped).
 * The store calls it after each commit, on the committing thread; a caller that commits moves
 * itself in a transaction of the store tells them with {@link #announce}.
 */
public final class TransitionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TransitionEvents.class);
    /** How many flows are remembered (a few MB): more than are in flight between two stages on a busy node. */
    static final int REMEMBERED = 20_000;

    private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();
    /** The facts of the flows this node last read or wrote, least recently used dropped. */
    private final Map<String, Known> remembered;

    /** What a transition event needs of a flow, as this node last saw it. */
    private record Known(String communeId, String channel, String format, OffsetDateTime receivedAt,
                         FlowStatus status, OffsetDateTime updatedAt) {

        Known movedTo(FlowStatus to, OffsetDateTime at) {
            return new Known(communeId, channel, format, receivedAt, to, at);
        }
    }

    TransitionEvents() {
        this(REMEMBERED);
    }

    /** Remembering at most {@code capacity} flows. */
    TransitionEvents(int capacity) {
        remembered = Collections.synchronizedMap(new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * {@code listener} is told of every change of status committed on this node, with the flow's
     * facts: new flows (received, or built from others), single transitions and the invoices a
     * PES flow moves with it, each on its own. After the commit, on the committing thread: it must
     * be quick and must not throw (a failure is logged, the transition stands). Transitions made
     * on other nodes are not told: a caller that must see them reads the store too.
     */
    public void onTransition(Consumer<Transition> listener) {
        listeners.add(listener);
    }

    /**
     * Changes of status a caller committed itself in a transaction of the store (the invoices a
     * PES flow carries along): remembered and told to the listeners. Call after the commit.
     */
    public void announce(List<Transition> transitions) {
        for (Transition t : transitions) {
            remembered.computeIfPresent(t.flowId(), (id, k) -> k.movedTo(t.to(), t.at()));
            tell(t);
        }
    }

    /** A flow as read or written: its facts kept for the transitions that follow. */
    void remember(Flow f) {
        remembered.put(f.id(), new Known(f.communeId(), f.channel(), f.format(), f.receivedAt(), f.status(),
                f.updatedAt()));
    }

    /** A new flow (received, or {@code built} from others), as written at its {@code updatedAt}: told. */
    void created(Flow f, boolean built) {
        tell(new Transition(f.id(), null, f.status(), built, f.communeId(), f.channel(), f.format(), f.receivedAt(),
                null, f.updatedAt()));
    }

    /** The status a transition leaves, and since when, as remembered before the move (since null when unknown). */
    record Leaving(FlowStatus status, OffsetDateTime since) {
    }

    /**
     * The status a transition leaves: the remembered one when expected, else the first expected (same stage).
     * Taken before the transaction: once it commits, another thread reading the flow may remember the new status.
     */
    Leaving leaving(String flowId, Set<FlowStatus> expected) {
        Known before = remembered.get(flowId);
        return before != null && expected.contains(before.status()) ? new Leaving(before.status(), before.updatedAt())
                : new Leaving(expected.iterator().next(), null);
    }

    /** A flow moved from what {@link #leaving} saw to {@code to} at {@code at}: remembered and told. */
    void moved(String flowId, Leaving left, FlowStatus to, OffsetDateTime at) {
        tell(transition(flowId, left.status(), to, at, left));
    }

    /** A flow moved {@code from} → {@code to} at {@code at}: remembered and told, with its facts when known. */
    void moved(String flowId, FlowStatus from, FlowStatus to, OffsetDateTime at) {
        tell(transition(flowId, from, to, at, null));
    }

    /** An unrouted flow given to its commune (UNROUTED → RECEIVED): remembered with it, and told. */
    void routed(String flowId, String communeId, OffsetDateTime at) {
        Known k = remembered.get(flowId);
        if (k != null) {
            remembered.put(flowId, new Known(communeId, k.channel(), k.format(), k.receivedAt(), k.status(),
                    k.updatedAt()));
        }
        moved(flowId, FlowStatus.UNROUTED, FlowStatus.RECEIVED, at);
    }

    /**
     * The transition of a flow this node may know, from its facts (unknown ones left null); {@code left}, when
     * given, is what {@link #leaving} saw before the move.
     */
    private Transition transition(String flowId, FlowStatus from, FlowStatus to, OffsetDateTime at, Leaving left) {
        Known k = remembered.get(flowId);
        if (k == null) {
            return new Transition(flowId, from, to, false, null, null, null, null, null, at);
        }
        remembered.put(flowId, k.movedTo(to, at));
        // the time in the previous status: as seen before the move, else only when what is remembered is that
        // status (another node may have moved it)
        OffsetDateTime since = left != null ? left.since() : k.status() == from ? k.updatedAt() : null;
        return new Transition(flowId, from, to, false, k.communeId(), k.channel(), k.format(), k.receivedAt(),
                since, at);
    }

    private void tell(Transition t) {
        for (Consumer<Transition> listener : listeners) {
            try {
                listener.accept(t);
            } catch (RuntimeException e) {
                LOG.warn("A transition listener failed for flow {}", t.flowId(), e); // the transition stands
            }
        }
    }
}
