package fr.passerelle.bench;

/** The arithmetic the benchmarks share: percentiles of sorted latencies, nanoseconds as milliseconds. */
final class Latencies {

    private Latencies() {
    }

    /** The p-th percentile (nearest rank) of latencies sorted ascending; 0 when there are none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
