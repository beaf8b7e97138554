package fr.passerelle.signature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import fr.passerelle.settings.CommandLines;
import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.tenant.TenantRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sign --commune ID FILE [-o OUT] [--tenants config/tenants.yaml] [--keys-dir DIR] [--whole]}:
 * signs a PES flow with the commune's key, per Bordereau or whole (--whole, or the commune's
 * {@code signWholeFile}) (keys-dir, default {@code data}, resolved with the
 * commune's {@code signingKey}; a demo key is generated when there is none) and writes it, as
 * ISO-8859-1 bytes, to OUT or standard output. Exit code 0 when signed (or already validly
 * signed), 1 when signing is refused (certificate not valid now, invalid existing signature),
 * 2 when the input or the configuration cannot be used.
 */
@Command(name = "sign", sortOptions = false,
        description = {"Sign a PES_Aller with the commune's key (per Bordereau, as Hélios wants, unless --whole or the "
                + "commune's signWholeFile); the signed flow on standard output unless -o is given.",
                "Exit 0 signed (or already validly signed), 1 signing refused, 2 input or configuration unusable."})
public final class SignCommand implements Callable<Integer> {

    public static final int SIGNED = 0;
    public static final int REFUSED = 1;
    public static final int NOT_PROCESSED = 2;

    @Option(names = "--commune", required = true, paramLabel = "ID", description = "the commune whose key signs")
    String communeId;

    @Parameters(paramLabel = "FILE", description = "the PES_Aller to sign")
    Path file;

    @Option(names = "-o", paramLabel = "OUT", description = "where to write the signed flow (default: standard output)")
    Path output;

    @Option(names = "--tenants", paramLabel = "FILE", description = "the communes (default: ${DEFAULT-VALUE})")
    Path tenants = Path.of("config", "tenants.yaml");

    @Option(names = "--keys-dir", paramLabel = "DIR",
            description = "where the communes' signingKey paths are resolved (default: ${DEFAULT-VALUE})")
    Path keysDir = Path.of("data");

    @Option(names = "--whole", description = "sign the whole PES_Aller instead of each Bordereau")
    boolean whole;

    @Mixin
    CommandLines.HelpOption help;

    private final PrintStream out;
    private final PrintStream err;

    public SignCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return CommandLines.execute(new SignCommand(out, err), args.toArray(String[]::new), out, err);
    }

    @Override
    public Integer call() {
        Commune commune;
        try {
            Optional<Commune> found = TenantRegistry.load(tenants).commune(communeId);
            if (found.isEmpty()) {
                err.println("commune '" + communeId + "' is not in " + tenants);
                return NOT_PROCESSED;
            }
            commune = found.get();
        } catch (TenantConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return NOT_PROCESSED;
        }
        byte[] pes;
        try {
            pes = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println(file + ": cannot be read (" + e.getMessage() + ")");
            return NOT_PROCESSED;
        }
        Path keystore = keysDir.resolve(commune.signingKey());
        SigningKey key;
        try {
            if (DemoKeys.ensure(commune.id(), commune.name(), keystore)) {
                err.println("note: no signing key for " + commune.id() + ": a self-signed demo key was generated in "
                        + keystore + " (Hélios refuses it; install the ordonnateur's PKCS#12 there)");
            }
            key = new CommuneKeyStore().load(commune.id(), keystore);
        } catch (IOException e) {
            err.println(e.getMessage());
            return NOT_PROCESSED;
        }
        byte[] signed;
        try {
            signed = new XadesSigner().sign(pes, file.toString(), key, Instant.now(), whole || commune.signWholeFile());
        } catch (PesDocumentException e) {
            err.println(e.getMessage());
            return NOT_PROCESSED;
        } catch (SigningException e) {
            err.println(file + ": " + e.getMessage());
            return REFUSED;
        }
        try {
            if (output == null) {
                out.write(signed);
                out.flush();
            } else {
                Files.write(output, signed);
            }
        } catch (IOException e) {
            err.println(output + ": cannot be written (" + e.getMessage() + ")");
            return NOT_PROCESSED;
        }
        if (signed == pes) {
            err.println("note: " + file + " was already signed: written unchanged");
        }
        return SIGNED;
    }
}
