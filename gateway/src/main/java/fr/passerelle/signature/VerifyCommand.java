package fr.passerelle.signature;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import fr.passerelle.settings.CommandLines;
import fr.passerelle.settings.Settings;
import fr.passerelle.xml.XmlLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify FILE [--json]}: the signatures of a PES flow and their facts, without a running
 * gateway. Exit code 0 when every signature is valid, 1 when any is invalid or there is none
 * (Hélios refuses both), 2 when the file cannot be processed (unreadable, not XML).
 */
@Command(name = "verify", sortOptions = false,
        description = {"Verify the XAdES signatures of a PES flow: what is signed, signer, signing time, policy, "
                + "algorithm, certificate window, valid or not and why.",
                "Exit 0 all valid, 1 any invalid or none, 2 file not processable."})
public final class VerifyCommand implements Callable<Integer> {

    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int NOT_PROCESSED = 2;

    @Parameters(paramLabel = "FILE", description = "the PES flow")
    Path file;

    @Option(names = "--json", description = "the report as JSON (as POST /api/v1/verify answers)")
    boolean json;

    @Mixin
    CommandLines.HelpOption help;

    private final PrintStream out;
    private final PrintStream err;

    public VerifyCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return CommandLines.execute(new VerifyCommand(out, err), args.toArray(String[]::new), out, err);
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            err.println(file + ": file not found or not a regular file");
            return NOT_PROCESSED;
        }
        // the gateway's limits when run beside its config/ (same defaults otherwise)
        PesDocuments.limits(XmlLimits.pes(Settings.load(Path.of("config"), System.getenv(), Map.of())::getSize));
        VerificationReport report;
        try {
            report = new SignatureVerifier().verify(file);
        } catch (PesDocumentException e) {
            err.println(e.getMessage());
            return NOT_PROCESSED;
        }
        if (json) {
            out.println(report.toJson());
        } else {
            print(report, out);
        }
        return report.valid() ? VALID : INVALID;
    }

    static void print(VerificationReport r, PrintStream out) {
        out.println(r.source() + ": " + r.signatures().size() + " signature" + (r.signatures().size() > 1 ? "s" : "")
                + ", " + (r.valid() ? "valid" : "INVALID (" + r.reason() + ")"));
        for (SignatureCheck s : r.signatures()) {
            out.println("  " + s.signedItem() + (s.idBord() == null ? "" : " (IdBord " + s.idBord() + ", Exer " + s.exer() + ")")
                    + ": " + (s.valid() ? "valid" : "INVALID"));
            for (String problem : s.problems()) {
                out.println("    problem: " + problem);
            }
            line(out, "signature", s.signatureId());
            line(out, "signer", s.signer());
            line(out, "issuer", s.issuer());
            line(out, "serial", s.serialNumber());
            line(out, "signing time", s.signingTime() == null ? null : s.signingTime().toString());
            line(out, "claimed role", s.claimedRole());
            line(out, "policy", s.policyOid() == null ? null : s.policyOid() + (s.policyKnown()
                    ? s.policyHashMatches() ? " (DGFiP, hash matches)" : " (DGFiP, hash DOES NOT match)" : " (unknown)"));
            line(out, "algorithm", s.signatureAlgorithm() + (s.digestAlgorithm() == null ? "" : ", digest " + s.digestAlgorithm()));
            line(out, "transforms", s.transforms().isEmpty() ? null : String.join(", ", s.transforms()));
            if (s.certificateNotAfter() != null) {
                line(out, "certificate", "valid from " + s.certificateNotBefore() + " to " + s.certificateNotAfter()
                        + (s.certificateValidAtSigningTime() == null ? ""
                        : s.certificateValidAtSigningTime() ? ", valid at signing time" : ", NOT valid at signing time")
                        + (s.certificateExpiredNow() ? ", expired today (" + -s.certificateDaysLeft() + " days ago)"
                        : ", " + s.certificateDaysLeft() + " days left"));
            }
        }
    }

    private static void line(PrintStream out, String label, String value) {
        if (value != null) {
            out.println("    " + label + ": " + value);
        }
    }
}
