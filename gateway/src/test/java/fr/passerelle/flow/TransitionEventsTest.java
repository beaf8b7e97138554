package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's announcements, without a database: flows fed in, the events told and what is remembered of them. */
class TransitionEventsTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    private TransitionEvents events;
    private final List<Transition> told = new ArrayList<>();

    @BeforeEach
    void listen() {
        events = new TransitionEvents(3);
        events.onTransition(told::add);
    }

    private static Flow flow(String id, String commune, FlowStatus status, OffsetDateTime updatedAt) {
        return new Flow(id, commune, "sha", id + ".xml", "UBL_INVOICE", "http", "aubeval", 12, status, null, T0,
                updatedAt);
    }

    @Test
    void aNewFlowIsToldWithItsFactsAndNoPreviousStatus() {
        events.created(flow("a", "aubeval", FlowStatus.RECEIVED, T0), false);
        events.created(flow("p", "aubeval", FlowStatus.PACKED, T0), true);

        assertThat(told).containsExactly(
                new Transition("a", null, FlowStatus.RECEIVED, false, "aubeval", "http", "UBL_INVOICE", T0, null, T0),
                new Transition("p", null, FlowStatus.PACKED, true, "aubeval", "http", "UBL_INVOICE", T0, null, T0));
    }

    @Test
    void aMoveTellsTheTimeInThePreviousStatusAndRemembersTheNewOne() {
        events.remember(flow("a", "aubeval", FlowStatus.RECEIVED, T0));
        OffsetDateTime t1 = T0.plusSeconds(5);
        OffsetDateTime t2 = T0.plusSeconds(60);

        events.moved("a", FlowStatus.RECEIVED, FlowStatus.VALIDATED, t1);
        assertThat(events.leaving("a", Set.of(FlowStatus.VALIDATED, FlowStatus.BLOCKED)).status()).isEqualTo(FlowStatus.VALIDATED);
        events.moved("a", FlowStatus.VALIDATED, FlowStatus.PACKED, t2);

        assertThat(told).containsExactly(
                new Transition("a", FlowStatus.RECEIVED, FlowStatus.VALIDATED, false, "aubeval", "http", "UBL_INVOICE",
                        T0, T0, t1),
                new Transition("a", FlowStatus.VALIDATED, FlowStatus.PACKED, false, "aubeval", "http", "UBL_INVOICE",
                        T0, t1, t2));
    }

    @Test
    void aReadOfTheNewStatusBetweenTheCommitAndTheAnnounceDoesNotLoseTheTimeInTheOldOne() {
        events.remember(flow("a", "aubeval", FlowStatus.RECEIVED, T0));
        TransitionEvents.Leaving left = events.leaving("a", Set.of(FlowStatus.RECEIVED));
        OffsetDateTime t1 = T0.plusSeconds(5);
        // committed; another thread (an API ?wait) reads the flow before the stage announces the move
        events.remember(flow("a", "aubeval", FlowStatus.VALIDATED, t1));
        events.moved("a", left, FlowStatus.VALIDATED, t1);

        assertThat(told).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(FlowStatus.RECEIVED);
            assertThat(t.since()).isEqualTo(T0);
        });
    }

    @Test
    void aMoveFromAnotherStatusThanTheRememberedOneTellsNoTimeInIt() {
        events.remember(flow("a", "aubeval", FlowStatus.RECEIVED, T0)); // another node moved it on since
        events.moved("a", FlowStatus.VALIDATED, FlowStatus.PACKED, T0.plusSeconds(9));

        assertThat(told).singleElement().satisfies(t -> {
            assertThat(t.known()).isTrue();
            assertThat(t.since()).isNull();
        });
    }

    @Test
    void anUnknownFlowIsToldWithoutItsFactsAndTheFirstExpectedStatusIsLeft() {
        assertThat(events.leaving("x", Set.of(FlowStatus.SIGNED)).status()).isEqualTo(FlowStatus.SIGNED);
        events.moved("x", FlowStatus.SIGNED, FlowStatus.SENT, T0);

        assertThat(told).containsExactly(
                new Transition("x", FlowStatus.SIGNED, FlowStatus.SENT, false, null, null, null, null, null, T0));
        assertThat(told.get(0).known()).isFalse();
    }

    @Test
    void aRoutedFlowIsToldWithItsNewCommune() {
        events.remember(flow("u", null, FlowStatus.UNROUTED, T0));
        OffsetDateTime t1 = T0.plusSeconds(3);
        events.routed("u", "aubeval", t1);
        events.moved("u", FlowStatus.RECEIVED, FlowStatus.VALIDATED, t1.plusSeconds(1));

        assertThat(told).extracting(Transition::communeId).containsExactly("aubeval", "aubeval");
        assertThat(told.get(0).since()).isEqualTo(T0);
        assertThat(told.get(1).since()).isEqualTo(t1);
    }

    @Test
    void announcedTransitionsAreToldAsTheyAreAndRemembered() {
        events.remember(flow("a", "aubeval", FlowStatus.PACKED, T0));
        OffsetDateTime t1 = T0.plusSeconds(30);
        Transition sent = new Transition("a", FlowStatus.PACKED, FlowStatus.SENT, false, "aubeval", "http",
                "UBL_INVOICE", T0, T0, t1);
        Transition unknown = new Transition("z", FlowStatus.PACKED, FlowStatus.SENT, false, "x", "sftp", "CII", T0,
                null, t1);
        events.announce(List.of(sent, unknown));
        events.moved("a", FlowStatus.SENT, FlowStatus.ACKNOWLEDGED, t1.plusSeconds(1));
        events.moved("z", FlowStatus.SENT, FlowStatus.ACKNOWLEDGED, t1.plusSeconds(1));

        assertThat(told).hasSize(4);
        assertThat(told.subList(0, 2)).containsExactly(sent, unknown);
        assertThat(told.get(2).since()).isEqualTo(t1); // remembered as SENT at t1
        assertThat(told.get(3).known()).isFalse(); // an announcement does not make a flow known
    }

    @Test
    void onlyTheMostRecentlyUsedFlowsAreRemembered() {
        events.remember(flow("a", "c", FlowStatus.RECEIVED, T0));
        events.remember(flow("b", "c", FlowStatus.RECEIVED, T0));
        events.remember(flow("c", "c", FlowStatus.RECEIVED, T0));
        events.leaving("a", Set.of(FlowStatus.RECEIVED)); // a used again: b is now the eldest
        events.remember(flow("d", "c", FlowStatus.RECEIVED, T0));

        for (String id : List.of("a", "b", "c", "d")) {
            events.moved(id, FlowStatus.RECEIVED, FlowStatus.VALIDATED, T0.plusSeconds(1));
        }
        assertThat(told).extracting(Transition::known).containsExactly(true, false, true, true);
    }

    @Test
    void aFailingListenerNeitherStopsTheOthersNorTheCaller() {
        TransitionEvents failing = new TransitionEvents(3);
        List<Transition> after = new ArrayList<>();
        failing.onTransition(t -> {
            throw new IllegalStateException("boom");
        });
        failing.onTransition(after::add);

        failing.moved("a", FlowStatus.RECEIVED, FlowStatus.VALIDATED, T0);

        assertThat(after).extracting(Transition::flowId).containsExactly("a");
    }
}
