package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.xml.transform.TransformerException;
import javax.xml.transform.URIResolver;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.xml.sax.SAXException;

import fr.passerelle.xml.SafeSchemas;

/**
 * Every schema and Schematron the validator uses, compiled once at start-up (in parallel) and
 * shared by all threads: XSDs as javax {@link Schema}, Schematron as Saxon XSLT executables. They
 * come from published Maven artefacts, never copied into the project: the CEN EN 16931 rules and
 * the French CTC rules as the passerelle-rules jar carries them ({@link RuleSets}), the UBL 2.1 /
 * CII D16B schemas (ph-ubl / ph-cii), the Factur-X profile schemas and Schematron (Mustang's
 * validator). The versions are read from the artefacts, never written here.
 */
public final class ValidationArtefacts {

    /** "Schema for Factur-X; 1.09.2; EN16931-COMPLIANT (FULLY)": the version the Factur-X Schematron states. */
    private static final java.util.regex.Pattern FACTURX_VERSION = java.util.regex.Pattern.compile(
            "Factur-X; ([0-9][0-9.\\-]*);");
    static final String UBL_INVOICE_XSD = "schema/UBL_21/maindoc/UBL-Invoice-2.1.xsd";
    static final String UBL_CREDITNOTE_XSD = "schema/UBL_21/maindoc/UBL-CreditNote-2.1.xsd";
    static final String CII_XSD = "external/schemas/d16b/data/standard/CrossIndustryInvoice_100pD16B.xsd";

    private final Processor saxon;
    private final XsltExecutable cenUbl;
    private final XsltExecutable cenCii;
    private final RuleSets ruleSets;
    private final FrenchRules french;
    private final String facturXVersion;
    private final Map<FacturXProfile, XsltExecutable> profileRules;
    private final Schema ublInvoice;
    private final Schema ublCreditNote;
    private final Schema cii;
    private final Map<FacturXProfile, Schema> profileSchemas;
    private final long loadMillis;
    /** Code lists the Factur-X Schematron reads with document(): parsed once, served from memory. */
    private final Map<String, XdmNode> codeLists;

    private ValidationArtefacts(Processor saxon, XsltExecutable cenUbl, XsltExecutable cenCii, RuleSets ruleSets,
                                FrenchRules french, String facturXVersion,
                                Map<FacturXProfile, XsltExecutable> profileRules, Schema ublInvoice,
                                Schema ublCreditNote, Schema cii, Map<FacturXProfile, Schema> profileSchemas,
                                long loadMillis, Map<String, XdmNode> codeLists) {
        this.codeLists = codeLists;
        this.saxon = saxon;
        this.cenUbl = cenUbl;
        this.cenCii = cenCii;
        this.ruleSets = ruleSets;
        this.french = french;
        this.facturXVersion = facturXVersion;
        this.profileRules = profileRules;
        this.ublInvoice = ublInvoice;
        this.ublCreditNote = ublCreditNote;
        this.cii = cii;
        this.profileSchemas = profileSchemas;
        this.loadMillis = loadMillis;
    }

    private static volatile ValidationArtefacts shared;

    /** The artefacts of this JVM, compiled on first use: immutable, so one set serves every validator. */
    public static ValidationArtefacts shared() {
        ValidationArtefacts a = shared;
        if (a == null) {
            synchronized (ValidationArtefacts.class) {
                a = shared;
                if (a == null) {
                    a = load();
                    shared = a;
                }
            }
        }
        return a;
    }

    /** Compiles everything, spreading the work over the machine's cores. */
    public static ValidationArtefacts load() {
        long start = System.nanoTime();
        Processor saxon = new Processor(false);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            RuleSets ruleSets = RuleSets.onClassPath();
            SchematronCompiler schematron = new SchematronCompiler(saxon);
            CompletableFuture<XsltExecutable> cenUbl = xslt(schematron, ruleSets.en16931Ubl(), pool);
            CompletableFuture<XsltExecutable> cenCii = xslt(schematron, ruleSets.en16931Cii(), pool);
            FrenchRules french = new FrenchRules(schematron, ruleSets);
            // every set that may judge an invoice, compiled now: never inside an invoice's CPU budget
            List<CompletableFuture<FrenchRules.Compiled>> frenchSets = ruleSets.french().stream()
                    .map(set -> CompletableFuture.supplyAsync(() -> french.at(set.inForce()), pool)).toList();
            CompletableFuture<String> facturXVersion = CompletableFuture.supplyAsync(ValidationArtefacts::readFacturXVersion,
                    pool);
            CompletableFuture<Schema> ublInvoice = xsd(UBL_INVOICE_XSD, pool);
            CompletableFuture<Schema> ublCreditNote = xsd(UBL_CREDITNOTE_XSD, pool);
            CompletableFuture<Schema> cii = xsd(CII_XSD, pool);
            Map<FacturXProfile, CompletableFuture<XsltExecutable>> rules = new EnumMap<>(FacturXProfile.class);
            Map<FacturXProfile, CompletableFuture<Schema>> schemas = new EnumMap<>(FacturXProfile.class);
            Map<String, CompletableFuture<XdmNode>> codeLists = new HashMap<>();
            for (FacturXProfile p : FacturXProfile.values()) {
                if (p == FacturXProfile.XRECHNUNG) {
                    continue; // checked with the EN16931 profile's artefacts, below
                }
                rules.put(p, xslt(schematron, "xslt/ZF_250/FACTUR-X_" + p.artefact() + ".xslt", pool));
                // the BASIC WL schema file drops the dash of its folder's name
                schemas.put(p, xsd("schema/ZF_250/" + p.artefact() + "/FACTUR-X_" + p.artefact().replace("-", "")
                        + ".xsd", pool));
                String codeList = "FACTUR-X_" + p.artefact() + "_codedb.xml";
                codeLists.put(codeList, document(saxon, "xslt/ZF_250/" + codeList, pool));
            }
            Map<FacturXProfile, XsltExecutable> compiledRules = new EnumMap<>(joinAll(rules));
            compiledRules.put(FacturXProfile.XRECHNUNG, compiledRules.get(FacturXProfile.EN16931));
            Map<FacturXProfile, Schema> compiledSchemas = new EnumMap<>(joinAll(schemas));
            compiledSchemas.put(FacturXProfile.XRECHNUNG, compiledSchemas.get(FacturXProfile.EN16931));
            frenchSets.forEach(CompletableFuture::join);
            return new ValidationArtefacts(saxon, cenUbl.join(), cenCii.join(), ruleSets, french, facturXVersion.join(),
                    compiledRules,
                    ublInvoice.join(), ublCreditNote.join(), cii.join(), compiledSchemas,
                    (System.nanoTime() - start) / 1_000_000, Map.copyOf(joinAll(codeLists)));
        } finally {
            pool.shutdown();
        }
    }

    private static <K, V> Map<K, V> joinAll(Map<K, CompletableFuture<V>> futures) {
        Map<K, V> done = new HashMap<>();
        futures.forEach((key, f) -> done.put(key, f.join()));
        return done;
    }

    /** How one artefact is built from its source; a failure names the artefact. */
    @FunctionalInterface
    private interface Build<T> {
        T from(StreamSource source) throws SaxonApiException;
    }

    private static <T> CompletableFuture<T> fromResource(String resource, String what, Build<T> build,
                                                         ExecutorService pool) {
        return CompletableFuture.supplyAsync(() -> {
            URL url = resource(resource);
            try (InputStream in = url.openStream()) {
                return build.from(new StreamSource(in, url.toExternalForm()));
            } catch (IOException | SaxonApiException e) {
                throw new IllegalStateException("Cannot read " + what + " " + resource + ": " + e.getMessage(), e);
            }
        }, pool);
    }

    private static CompletableFuture<XsltExecutable> xslt(SchematronCompiler schematron, String resource,
                                                          ExecutorService pool) {
        return fromResource(resource, "Schematron", schematron::compile, pool);
    }

    private static CompletableFuture<XdmNode> document(Processor saxon, String resource, ExecutorService pool) {
        return fromResource(resource, "code list", source -> saxon.newDocumentBuilder().build(source), pool);
    }

    /** Resolves the Schematron's document() calls to the code lists parsed at start-up. */
    URIResolver codeListResolver() {
        return (href, base) -> {
            String name = href.substring(href.lastIndexOf('/') + 1);
            XdmNode list = codeLists.get(name);
            if (list == null) {
                throw new TransformerException("Schematron asked for an unknown document: " + href);
            }
            return list.asSource();
        };
    }

    private static CompletableFuture<Schema> xsd(String resource, java.util.concurrent.Executor pool) {
        return CompletableFuture.supplyAsync(() -> {
            URL url = resource(resource);
            try {
                // the schemas include their modules from the same artefact: nothing else may be fetched
                return SafeSchemas.factory().newSchema(url);
            } catch (SAXException e) {
                throw new IllegalStateException("Cannot load schema " + resource + ": " + e.getMessage(), e);
            }
        }, pool);
    }

    /** A file of the class path the validator is built from; its absence is a broken installation. */
    static URL resource(String path) {
        URL url = ValidationArtefacts.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalStateException("Validation artefact missing from the classpath: " + path);
        }
        return url;
    }

    Processor saxon() {
        return saxon;
    }

    XsltExecutable cenUbl() {
        return cenUbl;
    }

    XsltExecutable cenCii() {
        return cenCii;
    }

    /** The French rules for an invoice received on that day. */
    FrenchRules.Compiled french(LocalDate received) {
        return french.at(received);
    }

    public RuleSets ruleSets() {
        return ruleSets;
    }

    /** The Factur-X version of the profile schemas and Schematron. */
    public String facturXVersion() {
        return facturXVersion;
    }

    private static String readFacturXVersion() {
        URL url = resource("xslt/ZF_250/FACTUR-X_EN16931.xslt");
        try (InputStream in = url.openStream()) {
            String head = new String(in.readNBytes(256 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = FACTURX_VERSION.matcher(head);
            if (!m.find()) {
                throw new IllegalStateException("The Factur-X Schematron states no version: " + url);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    XsltExecutable profileRules(FacturXProfile profile) {
        return profileRules.get(profile);
    }

    Schema ublInvoice() {
        return ublInvoice;
    }

    Schema ublCreditNote() {
        return ublCreditNote;
    }

    private volatile Schema cdar;

    /** The CDAR D22B schema of lifecycle status messages, loaded on the first one judged. */
    Schema cdar() {
        Schema schema = cdar;
        if (schema == null) {
            synchronized (this) {
                if (cdar == null) {
                    cdar = xsd(RuleSets.CDAR_XSD, Runnable::run).join();
                }
                schema = cdar;
            }
        }
        return schema;
    }

    Schema cii() {
        return cii;
    }

    Schema profileSchema(FacturXProfile profile) {
        return profileSchemas.get(profile);
    }

    public long loadMillis() {
        return loadMillis;
    }
}
