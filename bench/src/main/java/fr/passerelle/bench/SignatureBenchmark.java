package fr.passerelle.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.BLevelParameters;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.Policy;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.definition.XAdESNamespace;
import eu.europa.esig.dss.xades.reference.CanonicalizationTransform;
import eu.europa.esig.dss.xades.reference.DSSReference;
import eu.europa.esig.dss.xades.reference.DSSTransform;
import eu.europa.esig.dss.xades.reference.EnvelopedSignatureTransform;
import eu.europa.esig.dss.xades.signature.XAdESService;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import fr.passerelle.signature.HeliosPolicy;
import fr.passerelle.signature.PesDocuments;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.SigningKey;
import fr.passerelle.signature.DemoKeys;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.signature.XadesSigner;

/**
 * {@code bench sign}: signatures and verifications per second, one thread, on the same flows and
 * with the same RSA-2048 key: our XAdES-EPES signer and verifier (Hélios policy), plain Santuario
 * XML-DSig (the same reference and transforms, no XAdES properties: the cost of XAdES itself), and
 * EU DSS XAdES-B signing configured as close to Hélios as it goes (enveloped in the Bordereau,
 * XAdES 1.1.1, the policy and claimed role). Every call goes from bytes to bytes: parsing and
 * serialisation are part of it, as they are in the signing stage. Flows: PES_ex.xml (one
 * Bordereau) and a 1 MB flow made from it (many LigneDePiece in its Bordereau). Each scenario
 * is warmed up, then engines run in turns, ABC then CBA, each half the time. A measuring tool
 * only: nothing here judges the timings.
 */
public final class SignatureBenchmark {

    static final int DEFAULT_SECONDS = 10;
    /** The Santuario DSS 6.4 is built against (its pom's xmlsec.version). */
    static final String DSS_SANTUARIO = "3.0.6";
    /** Exclusive c14n without comments, the Hélios transform (a constant, so DssSigner needs no Santuario 4 class). */
    /** By name: a class literal would load it here too, next to Santuario 4. */
    private static final String DSS_ADAPTER = "fr.passerelle.ops.SignatureBenchmark$DssSigner";
    static final String EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /** The real 216 KB flow the issue's reference figures were taken on (one Bordereau, two PJ), its signature removed. */
    static final Path DEFAULT_FLOW = Path.of("samples", "pes", "PESALR2_25060187900027_190328_001.xml");
    private static final int LARGE_BYTES = 1 << 20;

    /** One operation under test: bytes in, something out (kept so the JIT cannot drop the work). */
    @FunctionalInterface
    private interface Operation {
        Object run() throws Exception;
    }

    private record Engine(String name, Operation operation) {
    }

    private record Timing(long[] sortedNanos, long busyNanos) {
        double perSecond() {
            return busyNanos == 0 ? 0 : sortedNanos.length * 1e9 / busyNanos;
        }
    }

    private SignatureBenchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int seconds;
        Path flow;
        Path santuario3;
        try {
            BenchOptions options = BenchOptions.parse(args, "bench sign [--seconds N] [--flow PES.xml] "
                    + "[--dss-xmlsec xmlsec-3.0.6.jar]", Set.of("--seconds", "--flow", "--dss-xmlsec"));
            seconds = options.positive("--seconds", DEFAULT_SECONDS);
            flow = options.path("--flow", DEFAULT_FLOW);
            santuario3 = options.path("--dss-xmlsec", null);
        } catch (BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(flow)) {
            System.err.println("bench sign: --flow takes a PES file with one Bordereau (" + flow + ")");
            return 2;
        }
        // DSS logs at INFO, and warns at every parser it builds that Xerces (on the class path) ignores
        // two JAXP 1.5 attributes: console time would be charged to it. A -D given wins.
        quiet("eu.europa.esig", "warn");
        quiet("eu.europa.esig.dss.xml.common.DocumentBuilderFactoryBuilder", "error");
        pinJdkXmlFactories();
        return measure(unsigned(Files.readAllBytes(flow), flow), flow, seconds, santuario3(santuario3), out);
    }

    /** The flow without the signatures it came with, so that every engine signs the same content. */
    static byte[] unsigned(byte[] pes, Path name) {
        org.w3c.dom.Document doc = PesDocuments.parse(pes, name.toString());
        org.w3c.dom.NodeList signatures = doc.getElementsByTagNameNS(HeliosPolicy.DS_NS, "Signature");
        if (signatures.getLength() == 0) {
            return pes;
        }
        for (int i = signatures.getLength() - 1; i >= 0; i--) {
            org.w3c.dom.Node signature = signatures.item(i);
            signature.getParentNode().removeChild(signature);
        }
        return PesDocuments.toBytes(doc);
    }

    private static int measure(byte[] small, Path flow, int seconds, Path santuario3, PrintStream out)
            throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "sign: our XAdES-EPES against plain XML-DSig and EU DSS XAdES-B, same key, same flows");
        report.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("machine", machine());
        report.put("secondsPerEngine", seconds);
        report.put("method", "one thread; each call bytes to bytes (hardened parse, sign or verify, ISO-8859-1 "
                + "serialisation); warm-up of max(3 s, seconds/2) per engine, then engines in turns ABC CBA, each half "
                + "the time; RSA-2048 SHA-256; the signing time is fixed so every call does the same work");

        Instant signingTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SigningKey key = DemoKeys.selfSigned("Commune de Bancbenche", signingTime.minus(Duration.ofDays(1)),
                signingTime.plus(Duration.ofDays(365)));
        byte[] large = large(small);
        XadesSigner ours = new XadesSigner();
        SignatureVerifier verifier = new SignatureVerifier();
        Dss dss = dss(key, signingTime, santuario3);

        Map<String, Object> flows = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        Duration warmUp = Duration.ofSeconds(Math.max(3, seconds / 2));
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("one-bordereau", small);
        inputs.put("1mb", large);
        for (Map.Entry<String, byte[]> f : inputs.entrySet()) {
            byte[] pes = f.getValue();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("source", f.getKey().equals("1mb") ? flow + " with its LigneDePiece repeated" : flow.toString());
            facts.put("bytes", pes.length);
            facts.put("bordereaux", count(pes, "<Bordereau"));
            facts.put("lignesDePiece", count(pes, "<LigneDePiece>"));

            // outputs made once, outside the timing: the verifications read them, and we check them
            byte[] oursSigned = ours.sign(pes, "bench", key, signingTime, false);
            byte[] plainSigned = plainSign(pes, key);
            byte[] dssSigned = dss.signer() == null ? null : dss.signer().apply(pes);
            Map<String, Object> sizes = new LinkedHashMap<>();
            sizes.put("ours", oursSigned.length);
            sizes.put("plain", plainSigned.length);
            sizes.put("dss", dssSigned == null ? null : dssSigned.length);
            facts.put("signedBytes", sizes);
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("oursVerifiedByOurs", verdict(verifier, oursSigned));
            checks.put("plainVerifiedBySantuario", plainVerify(plainSigned, key));
            if (dssSigned != null) {
                checks.put("dssVerifiedBySantuario", plainVerify(dssSigned, key));
                // our verifier also judges the Hélios policy: what DSS produces is read by the same rules
                checks.put("dssVerifiedByOurs", verdict(verifier, dssSigned));
            }
            facts.put("checks", checks);

            List<Engine> signers = new ArrayList<>(List.of(
                    new Engine("ours-xades", () -> ours.sign(pes, "bench", key, signingTime, false)),
                    new Engine("plain-xmldsig", () -> plainSign(pes, key))));
            if (dss.signer() != null) {
                signers.add(new Engine("dss-xades-b", () -> dss.signer().apply(pes)));
            }
            List<Engine> verifiers = List.of(
                    new Engine("ours-xades", () -> verifier.verify(PesDocuments.parse(oursSigned, "bench"))),
                    new Engine("plain-xmldsig", () -> plainVerify(plainSigned, key)));
            Map<String, Timing> sign = turns(signers, seconds, warmUp);
            Map<String, Timing> verify = turns(verifiers, seconds, warmUp);
            facts.put("sign", stats(sign));
            facts.put("verify", stats(verify));
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("signOursOverDss", sign.containsKey("dss-xades-b")
                    ? ratio(sign.get("ours-xades").perSecond(), sign.get("dss-xades-b").perSecond()) : null);
            ratios.put("signXadesOverPlain", ratio(sign.get("ours-xades").perSecond(),
                    sign.get("plain-xmldsig").perSecond()));
            ratios.put("verifyXadesOverPlain", ratio(verify.get("ours-xades").perSecond(),
                    verify.get("plain-xmldsig").perSecond()));
            facts.put("throughputRatios", ratios);
            flows.put(f.getKey(), facts);
            summary.add(String.format(Locale.ROOT, "%s: sign ours %.0f/s, plain %.0f/s, dss %.0f/s; verify ours %.0f/s, "
                            + "plain %.0f/s", f.getKey(), sign.get("ours-xades").perSecond(),
                    sign.get("plain-xmldsig").perSecond(),
                    sign.containsKey("dss-xades-b") ? sign.get("dss-xades-b").perSecond() : 0,
                    verify.get("ours-xades").perSecond(), verify.get("plain-xmldsig").perSecond()));
        }
        report.put("flows", flows);
        report.put("dss", describeDss(dss, santuario3));

        BenchReport.write("sign", report, out);
        System.err.println("bench sign (" + seconds + " s per engine): " + String.join("; ", summary));
        return 0;
    }

    /**
     * DSS asks JAXP for new factories at every call: without a system property JAXP scans every
     * jar of the class path for a provider (about 330 here) and finds Xerces 2.12 and Saxon,
     * which costs DSS several times its own work. The JDK's implementations are named instead,
     * unless the user set them: the figure is then DSS's own work, its most favourable case.
     * Our code and Santuario use the JDK's factories already (newDefaultInstance).
     */
    private static void pinJdkXmlFactories() {
        Map<String, String> jdk = Map.of(
                "javax.xml.parsers.DocumentBuilderFactory", "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl",
                "javax.xml.parsers.SAXParserFactory", "com.sun.org.apache.xerces.internal.jaxp.SAXParserFactoryImpl",
                "javax.xml.transform.TransformerFactory", "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl",
                "javax.xml.xpath.XPathFactory:http://java.sun.com/jaxp/xpath/dom",
                "com.sun.org.apache.xpath.internal.jaxp.XPathFactoryImpl",
                "javax.xml.validation.SchemaFactory:http://www.w3.org/2001/XMLSchema",
                "com.sun.org.apache.xerces.internal.jaxp.validation.XMLSchemaFactory");
        jdk.forEach((k, v) -> System.setProperty(k, System.getProperty(k, v)));
    }

    /** A logger's level (Logback), unless the user gave one with -Dlogging.level.NAME=LEVEL. */
    private static void quiet(String logger, String level) {
        String given = System.getProperty("logging.level." + logger);
        if (org.slf4j.LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.toLevel(given != null ? given : level));
        }
    }

    /** The flow with its first LigneDePiece repeated until it weighs about 1 MB (still one Bordereau). */
    static byte[] large(byte[] small) {
        String text = new String(small, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("<LigneDePiece>");
        int end = text.indexOf("</LigneDePiece>") + "</LigneDePiece>".length();
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the flow has no LigneDePiece to repeat");
        }
        String line = text.substring(start, end);
        StringBuilder lines = new StringBuilder(LARGE_BYTES + line.length());
        for (int n = 2; text.length() + lines.length() < LARGE_BYTES; n++) {
            lines.append(line.replaceFirst("<IdLigne V=\"[^\"]*\"/>", "<IdLigne V=\"" + n + "\"/>"));
        }
        return (text.substring(0, end) + lines + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int count(byte[] pes, String what) {
        String s = new String(pes, StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Each engine warmed up, then ABC CBA, each half the time: a drift of the machine or of the
     * JIT during the scenario weighs the same on every engine.
     */
    private static Map<String, Timing> turns(List<Engine> engines, int seconds, Duration warmUp) throws Exception {
        for (Engine e : engines) {
            timed(e, warmUp.toNanos());
        }
        long half = Duration.ofSeconds(seconds).toNanos() / 2;
        Map<String, List<Timing>> parts = new LinkedHashMap<>();
        List<Engine> order = new ArrayList<>(engines);
        for (int round = 0; round < 2; round++) {
            for (Engine e : order) {
                parts.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(timed(e, half));
            }
            java.util.Collections.reverse(order);
        }
        Map<String, Timing> merged = new LinkedHashMap<>();
        for (Engine e : engines) {
            List<Timing> t = parts.get(e.name());
            long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(t.get(0).sortedNanos()),
                    java.util.Arrays.stream(t.get(1).sortedNanos())).sorted().toArray();
            merged.put(e.name(), new Timing(all, t.get(0).busyNanos() + t.get(1).busyNanos()));
        }
        return merged;
    }

    /** Calls the operation for the given time; a call running at the deadline is finished and counted. */
    private static Timing timed(Engine engine, long nanos) throws Exception {
        System.gc(); // garbage of the previous run is not this run's cost
        List<Long> calls = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + nanos;
        long finished = start;
        Object sink = null;
        while (finished < end) {
            long t0 = System.nanoTime();
            sink = engine.operation().run();
            finished = System.nanoTime();
            calls.add(finished - t0);
        }
        if (sink == null) {
            throw new IllegalStateException(engine.name() + " returned nothing");
        }
        return new Timing(calls.stream().mapToLong(Long::longValue).sorted().toArray(), finished - start);
    }

    private static Map<String, Object> stats(Map<String, Timing> timings) {
        Map<String, Object> m = new LinkedHashMap<>();
        timings.forEach((name, t) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("calls", t.sortedNanos().length);
            s.put("perSecond", round(t.perSecond()));
            s.put("medianMs", Latencies.ms(Latencies.percentile(t.sortedNanos(), 50)));
            s.put("p95Ms", Latencies.ms(Latencies.percentile(t.sortedNanos(), 95)));
            m.put(name, s);
        });
        return m;
    }

    private static Object verdict(SignatureVerifier verifier, byte[] signed) {
        VerificationReport r = verifier.verify(PesDocuments.parse(signed, "bench"));
        return r.valid() ? "valid" : "invalid: " + r.reason();
    }

    /**
     * Plain XML-DSig as Santuario makes it: the Bordereau by "#Id" with enveloped-signature then
     * exclusive c14n, RSA-SHA256, the certificate in KeyInfo; no XAdES object, no second reference.
     */
    static byte[] plainSign(byte[] pes, SigningKey key) throws Exception {
        Document doc = PesDocuments.parse(pes, "bench");
        Element bordereau = (Element) doc.getElementsByTagNameNS("*", "Bordereau").item(0);
        XMLSignature sig = new XMLSignature(doc, "", HeliosPolicy.RSA_SHA256, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        bordereau.appendChild(sig.getElement());
        Transforms transforms = new Transforms(doc);
        transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        sig.addDocument("#" + bordereau.getAttribute("Id"), transforms, HeliosPolicy.SHA256);
        sig.addKeyInfo(key.certificate());
        sig.sign(key.privateKey());
        return PesDocuments.toBytes(doc);
    }

    /** Santuario's own check of the first signature (value and references), with the known key. */
    static Object plainVerify(byte[] signed, SigningKey key) throws Exception {
        Document doc = PesDocuments.parse(signed, "bench");
        Element element = (Element) doc.getElementsByTagNameNS(HeliosPolicy.DS_NS, "Signature").item(0);
        boolean ok = new XMLSignature(element, "", true).checkSignatureValue(key.certificate());
        return ok ? "valid" : "invalid";
    }

    /**
     * DSS in a class loader of its own, with the Santuario it is built against. DSS 6.4 is compiled
     * against Santuario 3.0.x: with the 4.0.4 of the gateway its DSSTransformOutput fails with
     * {@code InstantiationError: org.apache.xml.security.signature.XMLSignatureInput} (an abstract
     * class since 4.0). This loader takes Santuario 3.0.6 from its own jar and defines the DSS
     * classes (found on the application's class path) and our adapter itself, so that they link
     * against 3.0.6; everything else (JAXB, Bouncy Castle, our policy constants) comes from the
     * application.
     */
    private static final class DssClassLoader extends URLClassLoader {
        private static final String SANTUARIO = "org.apache.xml.security.";
        private static final String DSS = "eu.europa.esig.";
        private static final String ADAPTER = DSS_ADAPTER;

        DssClassLoader(URL santuario3, ClassLoader parent) {
            super(new URL[] {santuario3}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (name.startsWith(SANTUARIO)) {
                        c = findClass(name);
                    } else if (name.startsWith(DSS) || name.equals(ADAPTER)) {
                        c = defineFromParent(name);
                    } else {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> defineFromParent(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public URL getResource(String name) {
            // Santuario's own configuration and messages come with its classes
            URL own = name.startsWith("org/apache/xml/security/") ? findResource(name) : null;
            return own != null ? own : super.getResource(name);
        }
    }

    /** DSS ready to sign, or why it is not. */
    private record Dss(UnaryOperator<byte[]> signer, String notRun) {
    }

    @SuppressWarnings("unchecked")
    private static Dss dss(SigningKey key, Instant signingTime, Path santuario3) {
        if (santuario3 == null) {
            return new Dss(null, "Santuario 3.0.6 not found (target/dss-lib/xmlsec-3.0.6.jar, written by mvn package, "
                    + "or --dss-xmlsec PATH): DSS 6.4 cannot run on the gateway's Santuario 4.0.4 (InstantiationError "
                    + "on XMLSignatureInput, abstract since 4.0)");
        }
        try {
            ClassLoader loader = new DssClassLoader(santuario3.toUri().toURL(), SignatureBenchmark.class.getClassLoader());
            Class<?> adapter = Class.forName(DSS_ADAPTER, true, loader);
            return new Dss((UnaryOperator<byte[]>) adapter.getConstructor(PrivateKey.class, X509Certificate.class,
                    Instant.class).newInstance(key.privateKey(), key.certificate(), signingTime), null);
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null
                    ? e.getCause() : e;
            return new Dss(null, "DSS could not be loaded: " + cause);
        }
    }

    private static Path santuario3(Path given) {
        List<Path> candidates = new ArrayList<>();
        if (given != null) {
            candidates.add(given);
        }
        candidates.add(Path.of("bench", "target", "dss-lib", "xmlsec-" + DSS_SANTUARIO + ".jar"));
        candidates.add(Path.of("target", "dss-lib", "xmlsec-" + DSS_SANTUARIO + ".jar"));
        candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "santuario",
                "xmlsec", DSS_SANTUARIO, "xmlsec-" + DSS_SANTUARIO + ".jar"));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /**
     * EU DSS XAdES-B, enveloped as the last child of the Bordereau, with the Hélios policy,
     * claimed role, transforms and the XAdES 1.1.1 namespace. The RSA operation is done by the JCA
     * with the same key, as a token would. Loaded by {@link DssClassLoader}: public, and no access
     * to its outer class (another loader, so another runtime package).
     */
    public static final class DssSigner implements UnaryOperator<byte[]> {
        private final PrivateKey privateKey;
        private final X509Certificate certificate;
        private final Instant signingTime;
        private final XAdESService service;

        public DssSigner(PrivateKey privateKey, X509Certificate certificate, Instant signingTime) {
            this.privateKey = privateKey;
            this.certificate = certificate;
            this.signingTime = signingTime;
            ClassLoader previous = ownContextLoader();
            try {
                this.service = new XAdESService(new CommonCertificateVerifier());
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        /**
         * DSS finds its implementations (IUtils, JAXB…) through the context class loader: it must
         * be DSS's own, or they come from the application's copy and are "not a subtype".
         */
        private ClassLoader ownContextLoader() {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(DssSigner.class.getClassLoader());
            return previous;
        }

        @Override
        public byte[] apply(byte[] pes) {
            ClassLoader previous = ownContextLoader();
            try {
                return sign(pes);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("DSS signature failed", e);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        private byte[] sign(byte[] pes) throws IOException, GeneralSecurityException {
            DSSDocument document = new InMemoryDocument(pes, "flow.xml");
            String id = bordereauId(pes);
            XAdESSignatureParameters params = new XAdESSignatureParameters();
            params.setSignatureLevel(SignatureLevel.XAdES_BASELINE_B);
            params.setSignaturePackaging(SignaturePackaging.ENVELOPED);
            params.setDigestAlgorithm(DigestAlgorithm.SHA256);
            params.setSigningCertificateDigestMethod(DigestAlgorithm.SHA256);
            params.setXadesNamespace(XAdESNamespace.XADES_111);
            params.setEn319132(false); // XAdES 1.1.1, as Hélios, is not the EN 319 132 syntax
            params.setSigningCertificate(new CertificateToken(certificate));
            params.setCertificateChain(new CertificateToken(certificate));
            params.setXPathLocationString("//*[@Id='" + id + "']");
            params.setSignedInfoCanonicalizationMethod(EXCLUSIVE_C14N);
            params.setSignedPropertiesCanonicalizationMethod(EXCLUSIVE_C14N);
            DSSReference reference = new DSSReference();
            reference.setId("r-" + id);
            reference.setUri("#" + id);
            reference.setContents(document);
            reference.setDigestMethodAlgorithm(DigestAlgorithm.SHA256);
            List<DSSTransform> transforms = List.of(new EnvelopedSignatureTransform(),
                    new CanonicalizationTransform(EXCLUSIVE_C14N));
            reference.setTransforms(transforms);
            params.setReferences(List.of(reference));
            BLevelParameters b = params.bLevel();
            b.setSigningDate(Date.from(signingTime));
            b.setClaimedSignerRoles(List.of(HeliosPolicy.CLAIMED_ROLE));
            Policy policy = new Policy();
            policy.setId(HeliosPolicy.CURRENT.oid());
            policy.setDescription(HeliosPolicy.POLICY_DESCRIPTION);
            policy.setDigestAlgorithm(DigestAlgorithm.SHA256);
            policy.setDigestValue(Base64.getDecoder().decode(HeliosPolicy.CURRENT.hashes().get(0).value()));
            policy.setSpuri(HeliosPolicy.CURRENT.spuri());
            b.setSignaturePolicy(policy);

            ToBeSigned toBeSigned = service.getDataToSign(document, params);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(toBeSigned.getBytes());
            SignatureValue value = new SignatureValue(eu.europa.esig.dss.enumerations.SignatureAlgorithm.RSA_SHA256,
                    rsa.sign());
            DSSDocument signed = service.signDocument(document, params, value);
            try (InputStream in = signed.openStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(pes.length + 8192);
                in.transferTo(out);
                return out.toByteArray();
            }
        }

        private static String bordereauId(byte[] pes) {
            String s = new String(pes, StandardCharsets.ISO_8859_1);
            int at = s.indexOf("<Bordereau Id=\"");
            if (at < 0) {
                throw new IllegalArgumentException("the flow's Bordereau has no Id");
            }
            int from = at + "<Bordereau Id=\"".length();
            return s.substring(from, s.indexOf('"', from));
        }
    }

    private static Map<String, Object> describeDss(Dss dss, Path santuario3) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("artifact", "eu.europa.ec.joinup.sd-dss:dss-xades:6.4");
        m.put("ran", dss.notRun() == null);
        if (dss.notRun() != null) {
            m.put("notRun", dss.notRun());
        } else {
            m.put("santuario", santuario3.toString() + " in a class loader of its own: DSS 6.4 is built on Santuario "
                    + "3.0.x and fails on 4.0.4 (InstantiationError: XMLSignatureInput is abstract since 4.0)");
        }
        m.put("level", "XAdES_BASELINE_B, ENVELOPED, XAdES 1.1.1 namespace, en319132=false");
        m.put("reference", "#<Bordereau Id>, enveloped-signature + exclusive c14n, SHA-256");
        m.put("properties", "SigningTime, SigningCertificate (SHA-256), SignaturePolicyIdentifier (Hélios), "
                + "ClaimedRole Ordonnateur");
        m.put("jaxp", "JDK factories named by system property (DSS builds new JAXP factories at every call; "
                + "unnamed, JAXP scans the ~330 jars of the class path and picks Xerces 2.12 and Saxon)");
        m.put("notTimed", "DSS validation (it needs a trust configuration): only signing is compared");
        return m;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processors", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : round(a / b);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
