package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.passerelle.pdf.PdfStreams;

/**
 * The decompression limits judged with as little decoding as the proof needs: a stream is decoded
 * only when its bound alone, or the bounds together, would pass a limit, and the verdict is the
 * one decoding everything would give.
 */
class StreamBudgetTest {

    private final List<String> decoded = new ArrayList<>();

    /** A stream that decodes to {@code actual} bytes (OverCapException past the cap), bounded by {@code bound}. */
    private StreamBudget.Entry stream(String name, long bound, long actual) {
        return StreamBudget.Entry.bounded(name, bound, cap -> {
            decoded.add(name);
            if (actual > cap) {
                throw new PdfStreams.OverCapException(cap);
            }
            return actual;
        });
    }

    @Test
    void boundsThatFitBothLimitsAreNotDecoded() {
        StreamBudget budget = new StreamBudget(1_000, 1_000);
        assertThat(budget.check(List.of(stream("a", 300, 50), stream("b", 300, 50), StreamBudget.Entry.exact("c", 400))))
                .isNull();
        assertThat(decoded).isEmpty();
    }

    @Test
    void aBoundPastTheStreamLimitIsDecodedAndJudgedByWhatItReallyHolds() {
        StreamBudget budget = new StreamBudget(1_000, 10_000);
        assertThat(budget.check(List.of(stream("small", 5_000, 10)))).isNull();
        assertThat(budget.check(List.of(stream("bomb", 5_000, 2_000))))
                .isEqualTo(new StreamBudget.Refusal("bomb", false));
        assertThat(decoded).containsExactly("small", "bomb");
    }

    @Test
    void theLargestBoundsAreDecodedUntilTheRestFitsTheTotal() {
        StreamBudget budget = new StreamBudget(1_000, 1_000);
        assertThat(budget.check(List.of(stream("mid", 500, 10), stream("large", 600, 10), stream("tiny", 100, 10))))
                .isNull();
        assertThat(decoded).containsExactly("large");
    }

    @Test
    void aTotalPastTheLimitIsRefusedAtTheStreamThatCrossesIt() {
        StreamBudget budget = new StreamBudget(1_000, 1_000);
        assertThat(budget.check(List.of(StreamBudget.Entry.exact("first", 600), StreamBudget.Entry.exact("second", 300),
                stream("third", 800, 200)))).isEqualTo(new StreamBudget.Refusal("third", true));
        assertThat(budget.check(List.of(StreamBudget.Entry.exact("first", 600), StreamBudget.Entry.exact("second", 500))))
                .isEqualTo(new StreamBudget.Refusal("second", true));
    }

    @Test
    void anExactSizePastTheStreamLimitIsRefusedWithoutDecoding() {
        assertThat(new StreamBudget(1_000, 10_000).check(List.of(StreamBudget.Entry.exact("raw", 1_001))))
                .isEqualTo(new StreamBudget.Refusal("raw", false));
        assertThat(decoded).isEmpty();
    }

    @Test
    void aStreamWithoutBoundIsAlwaysDecoded() {
        StreamBudget budget = new StreamBudget(1_000, 10_000);
        assertThat(budget.check(List.of(stream("lzw", -1, 10)))).isNull();
        assertThat(budget.check(List.of(stream("lzw bomb", -1, 5_000))))
                .isEqualTo(new StreamBudget.Refusal("lzw bomb", false));
        assertThat(decoded).containsExactly("lzw", "lzw bomb");
    }

    /** Every decode is capped at the stream limit: the order the streams come in changes nothing. */
    @Test
    void whatAStreamCountsDoesNotDependOnWhenItIsDecoded() {
        StreamBudget budget = new StreamBudget(200, 500);
        for (long each : new long[] {90, 80}) {
            List<StreamBudget.Entry> entries = new ArrayList<>(List.of(stream("lzw", -1, 150)));
            for (int i = 0; i < 4; i++) {
                entries.add(stream("flate" + i, 100, each));
            }
            StreamBudget.Refusal forwards = budget.check(entries);
            java.util.Collections.reverse(entries);
            StreamBudget.Refusal backwards = budget.check(entries);
            assertThat(forwards == null).as("150 + 4 x " + each + " against 500").isEqualTo(each == 80);
            assertThat(backwards == null).isEqualTo(forwards == null);
        }
    }
}
