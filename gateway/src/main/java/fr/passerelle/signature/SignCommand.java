package fr.passerelle.signature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantConfigException;
import fr.passerelle.tenant.TenantRegistry;

/**
 * {@code sign --commune ID FILE [-o OUT] [--tenants config/tenants.yaml] [--keys-dir DIR] [--whole]}:
 * signs a PES flow with the commune's key, per Bordereau or whole (--whole, or the commune's
 * {@code signWholeFile}) (keys-dir, default {@code data}, resolved with the
 * commune's {@code signingKey}; a demo key is generated when there is none) and writes it, as
 * ISO-8859-1 bytes, to OUT or standard output. Exit code 0 when signed (or already validly
 * signed), 1 when signing is refused (certificate not valid now, invalid existing signature),
 * 2 when the input or the configuration cannot be used.
 */
public final class SignCommand {

    public static final int SIGNED = 0;
    public static final int REFUSED = 1;
    public static final int NOT_PROCESSED = 2;
    private static final String USAGE = "sign --commune ID FILE [-o OUT] [--tenants config/tenants.yaml] "
            + "[--keys-dir DIR] [--whole]";

    private SignCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String communeId = null;
        Path file = null;
        Path output = null;
        Path tenants = Path.of("config", "tenants.yaml");
        Path keysDir = Path.of("data");
        boolean whole = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--whole" -> whole = true;
                case "--commune", "-o", "--tenants", "--keys-dir" -> {
                    if (i + 1 >= args.size()) {
                        err.println(a + " needs a value (" + USAGE + ")");
                        return NOT_PROCESSED;
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--commune" -> communeId = v;
                        case "-o" -> output = Path.of(v);
                        case "--tenants" -> tenants = Path.of(v);
                        default -> keysDir = Path.of(v);
                    }
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("unexpected argument " + a + " (" + USAGE + ")");
                        return NOT_PROCESSED;
                    }
                    file = Path.of(a);
                }
            }
        }
        if (communeId == null || file == null) {
            err.println(USAGE);
            return NOT_PROCESSED;
        }
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
