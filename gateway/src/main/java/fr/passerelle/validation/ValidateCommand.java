package fr.passerelle.validation;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import fr.passerelle.settings.CommandLines;
import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.xml.XmlLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code validate FILE… [--json] [--all-layers] [--tenants FILE] [--commune ID] [--received-on DATE]}: one report per
 * file, without a running gateway. Exit code 0 when every file is accepted (warnings included), 1
 * when any is rejected, 2 when any could not be processed (or the command line is wrong).
 */
@Command(name = "validate", sortOptions = false,
        description = {"Validate invoices without a running gateway: one report per file (one JSON object per line "
                + "with --json). Without --tenants the routing layer is skipped (and said so).",
                "Exit 0 all accepted, 1 any rejected, 2 any could not be processed."})
public final class ValidateCommand implements Callable<Integer> {

    public static final int ACCEPTED = 0;
    public static final int REJECTED = 1;
    public static final int NOT_PROCESSED = 2;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the invoices (UBL, CII, Factur-X PDF)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--json", description = "one JSON report per line")
    boolean json;

    @Option(names = "--all-layers", description = "go on through every layer after a refusal, to see every problem at once")
    boolean allLayers;

    @Option(names = "--tenants", paramLabel = "FILE", description = "the communes (config/tenants.yaml), for the routing layer")
    Path tenantsFile;

    @Option(names = "--commune", paramLabel = "ID", description = "the commune the invoices are for")
    String commune;

    @Option(names = "--received-on", paramLabel = "DATE", description = "the day the invoices were received "
            + "(yyyy-mm-dd; default today): it picks the French CTC rules in force that day")
    java.time.LocalDate receivedOn;

    @Mixin
    CommandLines.HelpOption help;

    private final PrintStream out;
    private final PrintStream err;

    public ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return CommandLines.execute(new ValidateCommand(out, err), args.toArray(String[]::new), out, err);
    }

    @Override
    public Integer call() {
        long maxXml = 20L << 20;
        TenantRegistry tenants = null;
        if (tenantsFile != null) {
            try {
                tenants = TenantRegistry.load(tenantsFile);
            } catch (RuntimeException e) {
                err.println("Configuration error: " + e.getMessage());
                return NOT_PROCESSED;
            }
        }
        // the gateway's settings when run beside its config/ (same defaults otherwise)
        Settings settings = Settings.load(Path.of("config"), System.getenv(), Map.of());
        if (settings.get("passerelle.validation.max-xml-size", null) != null) {
            maxXml = settings.getSize("passerelle.validation.max-xml-size");
        }
        InvoiceValidator validator = new InvoiceValidator(ValidationArtefacts.shared(), maxXml, true,
                XmlLimits.invoice(settings::getSize), PdfLimits.of(settings));
        InvoiceValidator.Options options = new InvoiceValidator.Options(allLayers, tenants, commune, receivedOn);
        int exit = ACCEPTED;
        for (Path file : files) {
            ValidationReport report = Files.isRegularFile(file) ? validator.validate(file, file.toString(), options)
                    : ValidationReport.failed(file.toString(), "file not found or not a regular file");
            if (json) {
                out.println(ReportJson.toJson(report));
            } else {
                print(report, out);
            }
            exit = Math.max(exit, !report.completed() ? NOT_PROCESSED : report.accepted() ? ACCEPTED : REJECTED);
        }
        return exit;
    }

    private static void print(ValidationReport r, PrintStream out) {
        StringBuilder line = new StringBuilder(r.file()).append(": ");
        if (!r.completed()) {
            line.append("processing failed (").append(r.processingError()).append(')');
        } else {
            line.append(r.verdict());
        }
        List<String> what = new ArrayList<>();
        for (String s : new String[] {r.format(), r.syntax(), r.profile() == null ? null : "profile " + r.profile()}) {
            if (s != null) {
                what.add(s);
            }
        }
        if (!what.isEmpty()) {
            line.append(" [").append(String.join(", ", what)).append(']');
        }
        out.println(line.append(" in ").append(r.durationMs()).append(" ms"));
        if (!r.rules().isEmpty()) {
            List<String> sets = new ArrayList<>();
            r.rules().forEach((family, version) -> sets.add(family + " " + version));
            out.println("  rules: " + String.join(", ", sets));
        }
        for (ValidationReport.Relaxation x : r.relaxed()) {
            out.println("  relaxed: " + x.rule() + " (" + x.findings() + " finding(s)) reported as warning by the policy of "
                    + x.commune() + ", decided by " + x.by());
        }
        for (Finding f : r.findings()) {
            out.println("  " + f.severity().id() + " " + f.layer().id() + " " + f.rule()
                    + (f.location() == null ? "" : " at " + f.location()) + ": " + f.message());
        }
        for (String note : r.notes()) {
            out.println("  note: " + note);
        }
    }
}
