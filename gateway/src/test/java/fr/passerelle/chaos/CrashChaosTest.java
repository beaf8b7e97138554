package fr.passerelle.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway killed (SIGKILL) again and again under load, on H2 and on PostgreSQL, must still
 * end with every accepted invoice acknowledged, delivered to the treasury exactly once, none lost,
 * no upload left half done. Short by default ({@code chaos.kills}, 5); the seed is printed and
 * written with the JSON summary ({@code target/chaos-<db>-<seed>.json}); replay a failing run with
 * {@code -Dchaos.seed=N}. See {@link ChaosRun} for every option. Tagged {@code chaos}: a build may
 * leave it out with {@code -DexcludedGroups=chaos}.
 */
@Tag("chaos")
class CrashChaosTest {

    @TempDir
    Path work;

    @Test
    void h2() throws Exception {
        check(ChaosRun.fromSystemProperties(ChaosRun.Database.H2));
    }

    @Test
    void postgresql() throws Exception {
        check(ChaosRun.fromSystemProperties(ChaosRun.Database.POSTGRESQL));
    }

    private void check(ChaosRun run) throws Exception {
        System.out.println("chaos seed: " + run.seed() + " (" + run.database().label() + ")");
        ChaosVerdict verdict = ChaosHarness.run(run, work);
        Path json = verdict.write(run.reportDir().resolve(run.name() + ".json"));
        System.out.println(verdict.json());
        System.out.println("written to " + json);

        String context = "seed " + run.seed() + ", " + json + ", replay: " + run.replay();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(verdict.kills()).as("kills, " + context).isGreaterThanOrEqualTo(run.kills());
        soft.assertThat(verdict.invoices()).as("accepted invoices, " + context).isPositive();
        soft.assertThat(verdict.lost()).as("lost, " + context).isZero();
        soft.assertThat(verdict.deliveredTwice()).as("delivered twice, " + context).isZero();
        soft.assertThat(verdict.stalled()).as("stalled, " + context).isZero();
        soft.assertThat(verdict.refused()).as("refused by the treasury, " + context).isZero();
        soft.assertThat(verdict.notDelivered()).as("never delivered, " + context).isZero();
        soft.assertThat(verdict.acknowledged()).as("acknowledged, " + context).isEqualTo(verdict.invoices());
        soft.assertThat(verdict.partFilesLeft()).as("part files left, " + context).isZero();
        soft.assertThat(verdict.treasury().unreadable()).as("unreadable deliveries, " + context).isEmpty();
        soft.assertThat(verdict.unexpectedExits()).as("gateway exits without a kill, " + context).isZero();
        soft.assertAll();
        assertThat(verdict.passed()).as(context + "\n" + verdict.json()).isTrue();
    }
}
