package fr.passerelle.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import fr.passerelle.treasury.simulator.HeliosSimulator.Mode;

/**
 * One kill of the gateway, drawn from the seed: what the harness waits for before killing (a
 * moment, or something it sees happen: an answer, a log line, a file at the treasury), a small
 * delay after it, the simulator's mode while the gateway runs, and how long the gateway stays
 * down. The triggers are dealt in seeded rounds so that a few kills already aim at different
 * stages.
 */
record KillPlan(int n, Trigger trigger, Mode mode, long delayMs, long jitterMs, long downMs, long lateDelayMs) {

    static final Mode[] ANY = {Mode.NORMAL, Mode.HANG, Mode.DROP, Mode.LATE, Mode.REFUSE_CONNECTIONS,
            Mode.HANG_BEFORE_RENAME, Mode.HANG_AFTER_RENAME};

    /** What a kill waits for; {@code aimedAt} is the stage the kill should fall in. */
    enum Trigger {
        /** A delay after the launch, before or while the gateway recovers. */
        STARTUP("start-up and recovery", ANY),
        /** A delay after the API answers: anywhere in the steady load. */
        TIMER("anywhere under load", ANY),
        /** An invoice just answered 201/200. */
        ACCEPTED("intake and hand-off to validation", ANY),
        /** Log: a flow just VALIDATED. */
        VALIDATED("validation", ANY),
        /** Log: a PES flow just built. */
        PACKED("packing and hand-off to signature", ANY),
        /** Log: a flow just signed. */
        SIGNED("signature and hand-off to the treasury queue", ANY),
        /** A *.part file appears (or grows) in the treasury's depot. */
        PART_FILE("upload", Mode.NORMAL, Mode.HANG, Mode.DROP, Mode.LATE, Mode.HANG_BEFORE_RENAME,
                Mode.HANG_AFTER_RENAME),
        /** The treasury recorded a delivery (the rename happened; the gateway has not recorded SENT yet). */
        DELIVERED("rename", Mode.NORMAL, Mode.DROP, Mode.LATE, Mode.HANG_AFTER_RENAME),
        /** Log: a flow just recorded SENT. */
        TRANSMITTED("just after SENT", Mode.NORMAL, Mode.DROP, Mode.LATE),
        /** An acquittement vanished from retour/: the gateway took it and deleted it from the server. */
        ACK_TAKEN("acquittement taken from the server", Mode.NORMAL, Mode.LATE),
        /** Log: a flow just ACKNOWLEDGED. */
        ACKNOWLEDGED("acquittement applied", Mode.NORMAL, Mode.LATE);

        final String aimedAt;
        final List<Mode> modes;

        Trigger(String aimedAt, Mode... modes) {
            this.aimedAt = aimedAt;
            this.modes = List.of(modes);
        }
    }

    /** The plans of a run's kills, from its seed. */
    static List<KillPlan> draw(long seed, int kills) {
        Random random = new Random(seed);
        List<KillPlan> plans = new ArrayList<>();
        List<Trigger> round = new ArrayList<>();
        for (int n = 1; n <= kills; n++) {
            if (round.isEmpty()) {
                round.addAll(Arrays.asList(Trigger.values()));
                Collections.shuffle(round, random);
            }
            Trigger trigger = round.remove(0);
            Mode mode = trigger.modes.get(random.nextInt(trigger.modes.size()));
            long delay = switch (trigger) {
                case STARTUP -> 500 + random.nextInt(9_500);
                case TIMER -> 300 + random.nextInt(11_700);
                default -> 0;
            };
            long jitter = switch (trigger) {
                case STARTUP, TIMER -> 0;
                case PART_FILE, DELIVERED -> random.nextInt(150);
                default -> random.nextInt(600);
            };
            long down = random.nextInt(1_500);
            long late = 2_000 + random.nextInt(6_000);
            plans.add(new KillPlan(n, trigger, mode, delay, jitter, down, late));
        }
        return plans;
    }
}
