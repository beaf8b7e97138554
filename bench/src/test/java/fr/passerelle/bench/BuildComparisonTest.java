package fr.passerelle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** `bench compare` refuses to run without the other build, or with an option it does not know, and says how. */
class BuildComparisonTest {

    @Test
    void withoutTheOtherBuildItSaysWhatItNeeds() throws Exception {
        assertThat(compare(List.of())).isEqualTo(2);
        assertThat(compare(List.of("--against"))).isEqualTo(2);
        assertThat(compare(List.of("--rounds", "3"))).isEqualTo(2);
    }

    @Test
    void anUnknownOptionIsRefused() throws Exception {
        assertThat(compare(List.of("--against", "/tmp", "--threads", "2"))).isEqualTo(2);
        assertThat(compare(List.of("--against", "/tmp", "--rounds", "none"))).isEqualTo(2);
    }

    private static int compare(List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return BuildComparison.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
