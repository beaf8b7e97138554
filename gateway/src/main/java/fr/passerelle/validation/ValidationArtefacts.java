package fr.passerelle.validation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.EnumMap;
import java.util.HashMap;
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
 * the UBL 2.1 / CII D16B schemas (phive-rules-en16931 and its ph-ubl / ph-cii dependencies), the
 * Factur-X profile schemas and Schematron and the French BR-FR rules (Mustang's validator).
 */
public final class ValidationArtefacts {

    static final String CEN_VERSION = "1.3.14.2";
    static final String CEN_UBL = "external/schematron/" + CEN_VERSION + "/ubl/EN16931-UBL-validation.xslt";
    static final String CEN_CII = "external/schematron/" + CEN_VERSION + "/cii/EN16931-CII-validation.xslt";
    static final String BR_FR_CII = "xslt/XP_Z12_012/20260216_BR-FR-Flux2-Schematron-CII_V1.3.0.xsl";
    static final String UBL_INVOICE_XSD = "schema/UBL_21/maindoc/UBL-Invoice-2.1.xsd";
    static final String UBL_CREDITNOTE_XSD = "schema/UBL_21/maindoc/UBL-CreditNote-2.1.xsd";
    static final String CII_XSD = "external/schemas/d16b/data/standard/CrossIndustryInvoice_100pD16B.xsd";

    private final Processor saxon;
    private final XsltExecutable cenUbl;
    private final XsltExecutable cenCii;
    private final XsltExecutable brFr;
    private final Map<FacturXProfile, XsltExecutable> profileRules;
    private final Schema ublInvoice;
    private final Schema ublCreditNote;
    private final Schema cii;
    private final Map<FacturXProfile, Schema> profileSchemas;
    private final long loadMillis;
    /** Code lists the Factur-X Schematron reads with document(): parsed once, served from memory. */
    private final Map<String, XdmNode> codeLists;

    private ValidationArtefacts(Processor saxon, XsltExecutable cenUbl, XsltExecutable cenCii, XsltExecutable brFr,
                                Map<FacturXProfile, XsltExecutable> profileRules, Schema ublInvoice,
                                Schema ublCreditNote, Schema cii, Map<FacturXProfile, Schema> profileSchemas,
                                long loadMillis, Map<String, XdmNode> codeLists) {
        this.codeLists = codeLists;
        this.saxon = saxon;
        this.cenUbl = cenUbl;
        this.cenCii = cenCii;
        this.brFr = brFr;
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
            CompletableFuture<XsltExecutable> cenUbl = xslt(saxon, CEN_UBL, pool);
            CompletableFuture<XsltExecutable> cenCii = xslt(saxon, CEN_CII, pool);
            CompletableFuture<XsltExecutable> brFr = xslt(saxon, BR_FR_CII, pool);
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
                rules.put(p, xslt(saxon, "xslt/ZF_250/FACTUR-X_" + p.artefact() + ".xslt", pool));
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
            return new ValidationArtefacts(saxon, cenUbl.join(), cenCii.join(), brFr.join(), compiledRules,
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

    private static CompletableFuture<XsltExecutable> xslt(Processor saxon, String resource, ExecutorService pool) {
        return fromResource(resource, "Schematron", source -> saxon.newXsltCompiler().compile(source), pool);
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

    private static CompletableFuture<Schema> xsd(String resource, ExecutorService pool) {
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

    private static URL resource(String path) {
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

    XsltExecutable brFr() {
        return brFr;
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
