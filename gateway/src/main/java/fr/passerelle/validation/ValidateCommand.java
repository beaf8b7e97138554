package fr.passerelle.validation;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.xml.XmlLimits;

/**
 * {@code validate FILE… [--json] [--all-layers] [--tenants FILE] [--commune ID]}: one report per
 * file, without a running gateway. Exit code 0 when every file is accepted (warnings included), 1
 * when any is rejected, 2 when any could not be processed.
 */
public final class ValidateCommand {

    public static final int ACCEPTED = 0;
    public static final int REJECTED = 1;
    public static final int NOT_PROCESSED = 2;

    private ValidateCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        boolean allLayers = false;
        Path tenantsFile = null;
        String commune = null;
        long maxXml = 20L << 20;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--all-layers" -> allLayers = true;
                case "--tenants", "--commune" -> {
                    if (i + 1 >= args.size()) {
                        err.println(a + " needs a value");
                        return NOT_PROCESSED;
                    }
                    if (a.equals("--tenants")) {
                        tenantsFile = Path.of(args.get(++i));
                    } else {
                        commune = args.get(++i);
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        err.println("Unknown option " + a + " (validate FILE… [--json] [--all-layers] "
                                + "[--tenants config/tenants.yaml] [--commune ID])");
                        return NOT_PROCESSED;
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            err.println("validate takes one or more files");
            return NOT_PROCESSED;
        }
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
        InvoiceValidator.Options options = new InvoiceValidator.Options(allLayers, tenants, commune);
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
        for (Finding f : r.findings()) {
            out.println("  " + f.severity().id() + " " + f.layer().id() + " " + f.rule()
                    + (f.location() == null ? "" : " at " + f.location()) + ": " + f.message());
        }
        for (String note : r.notes()) {
            out.println("  note: " + note);
        }
    }
}
