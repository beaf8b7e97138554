package fr.passerelle.signature;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XadesSignerTest {

    private final XadesSigner signer = new XadesSigner();
    private final SignatureVerifier verifier = new SignatureVerifier();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void signsTheBordereauOfPesExAndItVerifiesAfterSerialisation() throws Exception {
        Document doc = Pes.parse(Pes.EXAMPLE);
        XadesSigner.Result result = signer.sign(doc, TestKeys.valid(), now);

        assertThat(result.signed()).containsExactly("SICOVAL120150924160835111");
        assertThat(result.whole()).isFalse();
        byte[] signed = PesDocuments.toBytes(doc);
        assertThat(Pes.latin1(signed)).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        VerificationReport report = verifier.verify(PesDocuments.parse(signed, "signed"));
        assertThat(report.valid()).as(report.toJson()).isTrue();
        SignatureCheck check = report.signatures().get(0);
        assertThat(check.signedItem()).isEqualTo("Bordereau SICOVAL120150924160835111");
        assertThat(check.signingTime()).isEqualTo(now);
        assertThat(check.claimedRole()).isEqualTo("Ordonnateur");
        assertThat(check.policyOid()).isEqualTo(HeliosPolicy.CURRENT.oid());
        assertThat(check.policyHashMatches()).isTrue();
        assertThat(check.serialNumber()).isEqualTo(TestKeys.valid().certificate().getSerialNumber().toString());
    }

    @Test
    void signsPesalr1AndTheResultVerifies() throws Exception {
        byte[] signed = signer.sign(Pes.bytes(Pes.UNSIGNED_ALR1), "alr1", TestKeys.valid(), now, false);

        VerificationReport report = verifier.verify(PesDocuments.parse(signed, "alr1"));
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).extracting(SignatureCheck::signedId).containsExactly("ID2020020200727D013536");
        // declared UTF-8, written ISO-8859-1 as S²LOW requires
        assertThat(Pes.latin1(signed)).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
    }

    @Test
    void ourSignatureHasTheStructureOfTheRealSignedSample() throws Exception {
        Document real = Pes.parse(Pes.SIGNED_SAMPLE);
        Document doc = Pes.parse(Pes.EXAMPLE);
        signer.sign(doc, TestKeys.valid(), now);
        Document ours = PesDocuments.parse(PesDocuments.toBytes(doc), "ours");
        Element realSig = Pes.signatures(real).get(0);
        Element ourSig = Pes.signatures(ours).get(0);

        // enveloped: the last child of its Bordereau, Ids suffixed as in the sample
        for (Element sig : List.of(realSig, ourSig)) {
            Element bordereau = (Element) sig.getParentNode();
            assertThat(bordereau.getLocalName()).isEqualTo("Bordereau");
            assertThat(Pes.lastChild(bordereau)).isSameAs(sig);
            assertThat(sig.getPrefix()).isEqualTo("ds");
            assertThat(names(Pes.children(sig))).containsExactly("ds:SignedInfo", "ds:SignatureValue", "ds:KeyInfo",
                    "ds:Object");
            String id = sig.getAttribute("Id");
            List<Element> parts = Pes.children(sig);
            assertThat(parts.get(1).getAttribute("Id")).isEqualTo(id + "_SV");
            assertThat(parts.get(2).getAttribute("Id")).isEqualTo(id + "_KI");
            assertThat(parts.get(3).getAttribute("Id")).isEqualTo(id + "_QI");
            assertThat(shape(parts.get(2))).containsExactly("ds:KeyInfo", "ds:KeyInfo/ds:X509Data",
                    "ds:KeyInfo/ds:X509Data/ds:X509Certificate");
        }
        // SignedInfo: same algorithms, same two references with the same transforms and digests
        assertThat(signedInfo(ourSig)).isEqualTo(signedInfo(realSig));
        List<Element> ourRefs = Pes.elements(ours, HeliosPolicy.DS_NS, "Reference");
        List<Element> realRefs = Pes.elements(real, HeliosPolicy.DS_NS, "Reference");
        assertThat(ourRefs).hasSize(2).hasSameSizeAs(realRefs);
        for (Document d : List.of(real, ours)) {
            List<Element> refs = Pes.elements(d, HeliosPolicy.DS_NS, "Reference");
            Element sig = Pes.signatures(d).get(0);
            assertThat(refs.get(0).getAttribute("URI")).isEqualTo("#" + ((Element) sig.getParentNode()).getAttribute("Id"));
            Element sp = Pes.elements(d, HeliosPolicy.XADES_NS, "SignedProperties").get(0);
            assertThat(refs.get(1).getAttribute("URI")).isEqualTo("#" + sp.getAttribute("Id"))
                    .isEqualTo("#" + sig.getAttribute("Id") + "_SP");
        }
        // the sample omits the Type of the SignedProperties reference; XAdES asks for it, and we give it
        assertThat(realRefs.get(1).hasAttribute("Type")).isFalse();
        assertThat(ourRefs.get(1).getAttribute("Type")).isEqualTo(HeliosPolicy.SIGNED_PROPERTIES_TYPE);

        // the XAdES properties: same namespace and prefix, same elements in the same order
        Element realQp = Pes.elements(real, HeliosPolicy.XADES_NS, "QualifyingProperties").get(0);
        Element ourQp = Pes.elements(ours, HeliosPolicy.XADES_NS, "QualifyingProperties").get(0);
        assertThat(ourQp.getPrefix()).isEqualTo(realQp.getPrefix()).isEqualTo("xad");
        List<String> realShape = shape(realQp);
        // the only element of the sample we leave out: where the ordonnateur signed (optional, unknown to us)
        realShape.removeIf(p -> p.contains("xad:SignatureProductionPlace"));
        assertThat(shape(ourQp)).isEqualTo(realShape);
        // the policy: same elements and same values
        assertThat(content(ourQp, "SignaturePolicyIdentifier")).isEqualTo(content(realQp, "SignaturePolicyIdentifier"));
        assertThat(text(ourQp, "ClaimedRole")).isEqualTo("Ordonnateur");
        assertThat(text(ourQp, "SigningTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(text(realQp, "SigningTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        // xmlns:xad declared on QualifyingProperties and again on SignedProperties, as in the sample
        for (Element qp : List.of(realQp, ourQp)) {
            assertThat(qp.getAttribute("xmlns:xad")).isEqualTo(HeliosPolicy.XADES_NS);
            assertThat(Pes.children(qp).get(0).getAttribute("xmlns:xad")).isEqualTo(HeliosPolicy.XADES_NS);
        }
        // the verifier reads both alike
        SignatureCheck realCheck = verifier.verify(real).signatures().get(0);
        SignatureCheck ourCheck = verifier.verify(ours).signatures().get(0);
        assertThat(ourCheck.transforms()).isEqualTo(realCheck.transforms());
        assertThat(ourCheck.signatureAlgorithm()).isEqualTo(realCheck.signatureAlgorithm());
        assertThat(ourCheck.digestAlgorithm()).isEqualTo(realCheck.digestAlgorithm());
        assertThat(ourCheck.references()).isEqualTo(realCheck.references()).isEqualTo(2);
    }

    @Test
    void theSignedFlowIsValidAgainstTheOfficialSchemas() throws Exception {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        Schema schema = factory.newSchema(
                new File("xsd/pes-v2/PES_V2/Rev0/PES_Aller.xsd"));
        byte[] signed = signer.sign(Pes.bytes(Pes.EXAMPLE), "ex", TestKeys.valid(), now, false);

        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(signed)));
        byte[] whole = signer.sign(Pes.bytes(Pes.EXAMPLE), "ex", TestKeys.valid(), now, true);
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(whole)));
    }

    @Test
    void theRealSignedSampleIsLeftUntouchedAndStillVerifies() throws Exception {
        byte[] original = Pes.bytes(Pes.SIGNED_SAMPLE);

        byte[] out = signer.sign(original, "sample", TestKeys.valid(), now, false);
        assertThat(out).isSameAs(original);

        Document doc = PesDocuments.parse(original, "sample");
        XadesSigner.Result result = signer.sign(doc, TestKeys.valid(), now);
        assertThat(result.changed()).isFalse();
        assertThat(result.alreadySigned()).containsExactly("N10025");
        byte[] written = PesDocuments.toBytes(doc);
        assertThat(Pes.firstBordereau(written)).isEqualTo(Pes.firstBordereau(original));
        assertThat(Pes.signatures(doc)).hasSize(1);
        assertThat(verifier.verify(PesDocuments.parse(written, "written")).valid()).isTrue();
    }

    @Test
    void signsTheUnsignedBordereauNextToASignedOneWithoutTouchingIt() throws Exception {
        byte[] original = Pes.bytes(Pes.SIGNED_SAMPLE);
        String ex = Pes.latin1(Pes.bytes(Pes.EXAMPLE));
        String second = Pes.firstBordereau(ex.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String text = Pes.latin1(original);
        int end = text.indexOf("</Bordereau>") + "</Bordereau>".length();
        byte[] mixed = (text.substring(0, end) + second + text.substring(end))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        Document doc = PesDocuments.parse(mixed, "mixed");
        XadesSigner.Result result = signer.sign(doc, TestKeys.valid(), now);

        assertThat(result.alreadySigned()).containsExactly("N10025");
        assertThat(result.signed()).containsExactly("SICOVAL120150924160835111");
        byte[] written = PesDocuments.toBytes(doc);
        assertThat(Pes.firstBordereau(written)).isEqualTo(Pes.firstBordereau(original));
        VerificationReport report = verifier.verify(PesDocuments.parse(written, "written"));
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).extracting(SignatureCheck::signedId)
                .containsExactly("N10025", "SICOVAL120150924160835111");
    }

    @Test
    void anInvalidExistingSignatureIsAnErrorAndIsNotOverwritten() throws Exception {
        String text = Pes.latin1(Pes.bytes(Pes.SIGNED_SAMPLE)).replace("<MtBordHT V=\"4874.40\"/>",
                "<MtBordHT V=\"4874.41\"/>");
        Document doc = PesDocuments.parse(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "tampered");

        assertThatThrownBy(() -> signer.sign(doc, TestKeys.valid(), now))
                .isInstanceOf(InvalidExistingSignatureException.class)
                .hasMessageContaining("bordereau Bordereau N10025")
                .hasMessageContaining("invalide")
                .hasMessageContaining("empreinte");
        assertThat(Pes.signatures(doc)).hasSize(1);
        assertThat(Pes.signatures(doc).get(0).getAttribute("Id")).isEqualTo("IDC1190328100914p0100");
    }

    @Test
    void aRefusedFlowIsLeftAsItCameEvenWithAnUnsignedBordereauBeforeTheInvalidOne() throws Exception {
        String text = Pes.latin1(Pes.bytes(Pes.SIGNED_SAMPLE)).replace("<MtBordHT V=\"4874.40\"/>",
                "<MtBordHT V=\"4874.41\"/>");
        String unsigned = Pes.firstBordereau(Pes.bytes(Pes.EXAMPLE));
        int start = text.indexOf("<Bordereau");
        byte[] flow = (text.substring(0, start) + unsigned + text.substring(start))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        for (boolean whole : new boolean[] {false, true}) {
            Document doc = PesDocuments.parse(flow, "two");
            assertThatThrownBy(() -> {
                if (whole) {
                    signer.signWhole(doc, TestKeys.valid(), now);
                } else {
                    signer.sign(doc, TestKeys.valid(), now);
                }
            }).isInstanceOf(InvalidExistingSignatureException.class);
            assertThat(Pes.signatures(doc)).hasSize(1);
        }
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        SigningKey expired = TestKeys.expired();
        Document doc = Pes.parse(Pes.EXAMPLE);

        assertThatThrownBy(() -> signer.sign(doc, expired, now))
                .isInstanceOfSatisfying(CertificateNotUsableException.class, e -> {
                    assertThat(e.expired()).isTrue();
                    assertThat(e.reason()).contains("a expiré le").contains("validité du");
                    assertThat(e.notAfter()).isEqualTo(expired.certificate().getNotAfter().toInstant());
                    assertThat(e.notBefore()).isEqualTo(expired.certificate().getNotBefore().toInstant());
                    assertThat(e.signingTime()).isEqualTo(now);
                });
        assertThatThrownBy(() -> signer.signWhole(doc, expired, now)).isInstanceOf(CertificateNotUsableException.class);
        assertThat(Pes.signatures(doc)).isEmpty();
    }

    @Test
    void refusesACertificateNotValidYet() throws Exception {
        SigningKey future = TestKeys.between(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(400)));

        assertThatThrownBy(() -> signer.sign(Pes.parse(Pes.EXAMPLE), future, now))
                .isInstanceOfSatisfying(CertificateNotUsableException.class, e -> {
                    assertThat(e.expired()).isFalse();
                    assertThat(e.reason()).contains("n'est valide qu'à partir du");
                });
    }

    @Test
    void signsTheWholeFlowWhenAsked() throws Exception {
        Document doc = Pes.parse(Pes.EXAMPLE);
        XadesSigner.Result result = signer.signWhole(doc, TestKeys.valid(), now);

        assertThat(result.whole()).isTrue();
        Element root = doc.getDocumentElement();
        Element sig = Pes.lastChild(root);
        assertThat(sig.getLocalName()).isEqualTo("Signature");
        assertThat(Pes.elements(doc, HeliosPolicy.DS_NS, "Reference").get(0).getAttribute("URI")).isEmpty();
        SignatureCheck check = verifier.verify(PesDocuments.parse(PesDocuments.toBytes(doc), "w")).signatures().get(0);
        assertThat(check.valid()).as(check.problems().toString()).isTrue();
        assertThat(check.wholeDocument()).isTrue();
        assertThat(check.signedItem()).startsWith("document entier");
        assertThat(check.transforms()).containsExactly(HeliosPolicy.ENVELOPED, HeliosPolicy.EXCLUSIVE_C14N);
        // signing again leaves it as it is
        assertThat(signer.signWhole(doc, TestKeys.valid(), now).changed()).isFalse();
        assertThat(signer.sign(doc, TestKeys.valid(), now).changed()).isFalse();
        assertThat(Pes.signatures(doc)).hasSize(1);
    }

    @Test
    void aFlowWithoutBordereauIsSignedWhole() throws Exception {
        String alr1 = Pes.latin1(Pes.bytes(Pes.UNSIGNED_ALR1));
        String pjOnly = alr1.substring(0, alr1.indexOf("<PES_DepenseAller>"))
                + alr1.substring(alr1.indexOf("</PES_DepenseAller>") + "</PES_DepenseAller>".length());
        Document doc = PesDocuments.parse(pjOnly.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "pj");

        XadesSigner.Result result = signer.sign(doc, TestKeys.valid(), now);

        assertThat(result.whole()).isTrue();
        assertThat(Pes.lastChild(doc.getDocumentElement()).getLocalName()).isEqualTo("Signature");
        assertThat(verifier.verify(PesDocuments.parse(PesDocuments.toBytes(doc), "pj")).valid()).isTrue();
    }

    @Test
    void signsTheBordereauxOfEveryDomainAndGivesAnIdToOneWithout() throws Exception {
        String ex = Pes.latin1(Pes.bytes(Pes.EXAMPLE));
        String recette = "<PES_RecetteAller><EnTeteRecette><IdVer V=\"2\"/></EnTeteRecette><Bordereau><BlocBordereau>"
                + "<Exer V=\"2015\"/><IdBord V=\"77\"/><DteBordEm V=\"2015-09-16\"/><TypBord V=\"01\"/>"
                + "<NbrPce V=\"1\"/></BlocBordereau><Piece><BlocPiece><InfoPce><IdPce V=\"1\"/></InfoPce></BlocPiece>"
                + "</Piece></Bordereau></PES_RecetteAller>";
        String flow = ex.replace("</PES_DepenseAller>", "</PES_DepenseAller>" + recette);
        Document doc = PesDocuments.parse(flow.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "two");

        XadesSigner.Result result = signer.sign(doc, TestKeys.valid(), now);

        assertThat(result.signed()).containsExactly("SICOVAL120150924160835111", "BORD_2015_77");
        VerificationReport report = verifier.verify(PesDocuments.parse(PesDocuments.toBytes(doc), "two"));
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).extracting(SignatureCheck::idBord).containsExactly("2372", "77");
    }

    @Test
    void onlyPesAllerFlowsAreSigned() throws Exception {
        Document acquit = Pes.parse("pes/PES_ACQUIT_ok.xml");

        assertThatThrownBy(() -> signer.sign(acquit, TestKeys.valid(), now)).isInstanceOf(SigningException.class)
                .hasMessageContaining("PES_ACQUIT");
        assertThat(Pes.signatures(acquit)).isEmpty();
    }

    @Test
    void sha1SignaturesOfOlderFlowsVerify() throws Exception {
        Document doc = Pes.parse(Pes.EXAMPLE);
        new XadesSigner(DigestSuite.SHA1, true).sign(doc, TestKeys.valid(), now);

        SignatureCheck check = verifier.verify(PesDocuments.parse(PesDocuments.toBytes(doc), "sha1")).signatures().get(0);
        assertThat(check.valid()).as(check.problems().toString()).isTrue();
        assertThat(check.signatureAlgorithm()).isEqualTo(HeliosPolicy.RSA_SHA1);
        assertThat(check.digestAlgorithm()).isEqualTo(HeliosPolicy.SHA1);
    }

    /** Qualified names of elements. */
    private static List<String> names(List<Element> elements) {
        return elements.stream().map(Element::getTagName).toList();
    }

    /** Every element below (and including) e as a path of qualified names; attributes other than Id/xmlns named. */
    static List<String> shape(Element e) {
        List<String> out = new ArrayList<>();
        shape(e, e.getTagName(), out);
        return out;
    }

    private static void shape(Element e, String path, List<String> out) {
        List<String> attributes = new ArrayList<>();
        NamedNodeMap map = e.getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            String name = ((Attr) map.item(i)).getName();
            if (!name.equals("Id") && !name.startsWith("xmlns")) {
                attributes.add(name);
            }
        }
        out.add(path + (attributes.isEmpty() ? "" : attributes.stream().sorted().toList().toString()));
        for (Element child : Pes.children(e)) {
            shape(child, path + "/" + child.getTagName(), out);
        }
    }

    /** The algorithms of SignedInfo and, per reference, its transforms and digest method. */
    private static List<String> signedInfo(Element signature) {
        List<String> out = new ArrayList<>();
        Element si = Pes.children(signature).get(0);
        for (Element child : Pes.children(si)) {
            if (child.getLocalName().equals("Reference")) {
                StringBuilder ref = new StringBuilder("Reference");
                for (Element part : Pes.children(child)) {
                    if (part.getLocalName().equals("Transforms")) {
                        Pes.children(part).forEach(t -> ref.append(" T:").append(t.getAttribute("Algorithm")));
                    } else if (part.getLocalName().equals("DigestMethod")) {
                        ref.append(" D:").append(part.getAttribute("Algorithm"));
                    }
                }
                out.add(ref.toString());
            } else {
                out.add(child.getTagName() + " " + child.getAttribute("Algorithm"));
            }
        }
        return out;
    }

    /** The paths, attribute values and texts below the first element of that local name. */
    private static List<String> content(Element root, String localName) {
        Element e = (Element) root.getElementsByTagNameNS("*", localName).item(0);
        List<String> out = new ArrayList<>();
        content(e, e.getTagName(), out);
        return out;
    }

    private static void content(Element e, String path, List<String> out) {
        List<Element> children = Pes.children(e);
        out.add(path + (e.hasAttribute("Algorithm") ? "@" + e.getAttribute("Algorithm") : "")
                + (children.isEmpty() ? "=" + e.getTextContent() : ""));
        for (Element child : children) {
            content(child, path + "/" + child.getTagName(), out);
        }
    }

    private static String text(Element root, String localName) {
        return root.getElementsByTagNameNS("*", localName).item(0).getTextContent();
    }
}
