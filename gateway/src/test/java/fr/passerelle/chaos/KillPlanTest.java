package fr.passerelle.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Kill plans come from the seed alone, and a few kills already aim at different stages. */
class KillPlanTest {

    @Test
    void theSameSeedDrawsTheSamePlansAndEachRoundDealsEveryTrigger() {
        int all = KillPlan.Trigger.values().length;
        List<KillPlan> plans = KillPlan.draw(1234L, 2 * all);

        assertThat(KillPlan.draw(1234L, 2 * all)).isEqualTo(plans);
        assertThat(KillPlan.draw(1235L, 2 * all)).isNotEqualTo(plans);
        assertThat(plans.subList(0, all)).extracting(KillPlan::trigger).containsExactlyInAnyOrder(KillPlan.Trigger.values());
        assertThat(plans.subList(all, 2 * all)).extracting(KillPlan::trigger)
                .containsExactlyInAnyOrder(KillPlan.Trigger.values());
        assertThat(plans).allSatisfy(p -> assertThat(p.trigger().modes).contains(p.mode()));
    }
}
