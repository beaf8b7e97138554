package fr.passerelle.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar bench/target/passerelle-bench.jar NAME [OPTIONS]}, run from the repository's root: each
 * benchmark prints its JSON and writes it to {@code target/bench-NAME.json}.
 */
public final class Bench {

    static final String USAGE = """
            Passerelle benchmarks, run from the repository's root (they read samples/ and config/).

            Usage: java -jar bench/target/passerelle-bench.jar NAME [OPTIONS]

              intake [--seconds N]    intake throughput (HTTP POST to flow persisted and queued, 10 KB files,
                                      1 and 8 clients); target/bench-intake.json
              validate [--seconds N] [--folder DIR]
                                      our validator against the reference validators (Mustang for Factur-X,
                                      phive EN 16931 for UBL/CII) on the same files (default samples/invoices),
                                      1 and 2 threads, with both sides' verdicts, and veraPDF's PDF/A check
                                      alone (the ceiling of the Factur-X ratio); target/bench-validate.json
              compare --against DIR [--samples FILE,FILE] [--rounds N] [--invoices N]
                                      this build's validator against another build's (DIR: a clone at another
                                      commit, packaged), in one JVM, taking turns on one thread: CPU ms per
                                      invoice each (default the treasury benchmark's invoice);
                                      target/bench-compare.json
              console [--flows N] [--renders R]
                                      the web console's dashboard over a store of N flows (default 100,000),
                                      server side, median and p95 ms; target/bench-console.json
              sign [--seconds N]      XAdES signatures/s and verifications/s on a one-Bordereau flow and a 1 MB
                                      flow, against plain XML-DSig and EU DSS XAdES-B; target/bench-sign.json
              treasury [--seconds N] [--warmup N] [--rate R] [--clients C]
                                      end to end, HTTP POST of UBL invoices to PES flows transmitted to the
                                      Hélios simulator, at R invoices/s offered (default 200, 300 s);
                                      invoices/s, p50/p95/p99 latency, CPU per stage; target/bench-treasury.json
              pes [--megabytes N] [--invoice-kb K]
                                      build a PJ flow of N MB (default 100) streamed, validate it against the
                                      XSD; seconds and peak heap (run it with -Xmx512m); target/bench-pes.json
              hostile [--pes-megabytes N]
                                      the worst generated input of each hostile family through the validator
                                      and the verifier: time, peak heap, verdict; target/bench-hostile.json
              shared [--seconds N] …  what one PostgreSQL and one Artemis carry on this machine, and how many
                                      nodes that is with the per-invoice counts of target/bench-treasury.json;
                                      target/bench-shared.json
            """;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        // the first word may be "bench", as in the gateway's command line before the benchmarks had a jar of their own
        List<String> words = List.of(args);
        if (!words.isEmpty() && words.get(0).equals("bench")) {
            words = words.subList(1, words.size());
        }
        List<String> options = words.isEmpty() ? List.of() : words.subList(1, words.size());
        switch (words.isEmpty() ? "" : words.get(0)) {
            case "intake" -> {
                return IntakeBenchmark.run(options, out);
            }
            case "validate" -> {
                return ValidationBenchmark.run(options, out);
            }
            case "compare" -> {
                return BuildComparison.run(options, out);
            }
            case "pes" -> {
                return PesBuildBenchmark.run(options, out);
            }
            case "console" -> {
                return ConsoleBenchmark.run(options, out);
            }
            case "sign" -> {
                return SignatureBenchmark.run(options, out);
            }
            case "treasury" -> {
                return TreasuryBenchmark.run(options, out);
            }
            case "hostile" -> {
                return HostileBenchmark.run(options, out);
            }
            case "shared" -> {
                SharedCapacityBenchmark.main(options.toArray(String[]::new));
                return 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                return 0;
            }
            default -> {
                err.print(USAGE);
                return 2;
            }
        }
    }
}
