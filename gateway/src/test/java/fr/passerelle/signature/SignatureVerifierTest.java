package fr.passerelle.signature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureVerifierTest {

    private static final Instant TODAY = Instant.parse("2026-01-15T12:00:00Z");
    private final SignatureVerifier verifier = new SignatureVerifier(Clock.fixed(TODAY, ZoneOffset.UTC));

    @Test
    void theRealSignedSampleIsValidAndItsCertificateIsJudgedAtTheSigningTime() throws Exception {
        VerificationReport report = verifier.verify(Pes.path(Pes.SIGNED_SAMPLE));

        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).hasSize(1);
        SignatureCheck s = report.signatures().get(0);
        assertThat(s.signedElement()).isEqualTo("Bordereau");
        assertThat(s.signedId()).isEqualTo("N10025");
        assertThat(s.idBord()).isEqualTo("11");
        assertThat(s.exer()).isEqualTo("2019");
        assertThat(s.signatureId()).isEqualTo("IDC1190328100914p0100");
        assertThat(s.signer()).contains("CN=THOMAS Celine");
        assertThat(s.issuer()).isEqualTo("CN=berger-levrault-DC1LABL-CA,DC=berger-levrault,DC=net");
        assertThat(s.serialNumber()).isEqualTo("120612209071880369374275");
        assertThat(s.signingTime()).isEqualTo(Instant.parse("2019-03-28T09:09:14.187Z"));
        assertThat(s.policyOid()).isEqualTo("urn:oid:1.2.250.1.131.1.5.18.21.1.7");
        assertThat(s.policyKnown()).isTrue();
        assertThat(s.policyHashMatches()).isTrue();
        assertThat(s.claimedRole()).isEqualTo("Maire");
        assertThat(s.signatureAlgorithm()).isEqualTo(HeliosPolicy.RSA_SHA256);
        assertThat(s.certificateNotBefore()).isEqualTo(Instant.parse("2018-11-26T10:14:24Z"));
        assertThat(s.certificateNotAfter()).isEqualTo(Instant.parse("2020-04-29T13:20:14Z"));
        assertThat(s.certificateValidAtSigningTime()).isTrue();
        // expired since: reported, and the signature stays valid
        assertThat(s.certificateExpiredNow()).isTrue();
        assertThat(s.certificateDaysLeft()).isNegative();
        assertThat(s.reason()).isNull();
    }

    @Test
    void aOneCharacterChangeInsideTheSignedBordereauMakesItInvalid() throws Exception {
        byte[] bytes = Pes.bytes(Pes.SIGNED_SAMPLE);
        String text = Pes.latin1(bytes);
        int at = text.indexOf("<Nom V=\"GUGLIELMETTI\"/>") + "<Nom V=\"".length();
        assertThat(at).isGreaterThan(text.indexOf("<Bordereau")).isLessThan(text.indexOf("</Bordereau>"));
        byte[] tampered = bytes.clone();
        tampered[at] = 'H'; // GUGLIELMETTI -> HUGLIELMETTI

        VerificationReport report = verifier.verify(PesDocuments.parse(tampered, "tampered"));

        assertThat(report.valid()).isFalse();
        SignatureCheck s = report.signatures().get(0);
        assertThat(s.valid()).isFalse();
        assertThat(s.reason()).contains("empreinte").contains("Bordereau N10025").contains("modifié");
        // only the content changed: the signature value over SignedInfo still holds
        assertThat(s.problems()).hasSize(1);
    }

    @Test
    void aChangedSignatureValueIsReportedAsSuch() throws Exception {
        String text = Pes.latin1(Pes.bytes(Pes.SIGNED_SAMPLE)).replace("<ds:SignatureValue Id=\"IDC1190328100914p0100_SV\">NrQW",
                "<ds:SignatureValue Id=\"IDC1190328100914p0100_SV\">NrQX");

        SignatureCheck s = verifier.verify(PesDocuments.parse(text.getBytes(StandardCharsets.ISO_8859_1), "t"))
                .signatures().get(0);

        assertThat(s.valid()).isFalse();
        assertThat(s.reason()).startsWith("valeur de signature incorrecte");
    }

    @Test
    void aChangedSignedPropertyBreaksTheSecondReference() throws Exception {
        String text = Pes.latin1(Pes.bytes(Pes.SIGNED_SAMPLE)).replace("<xad:ClaimedRole>Maire<", "<xad:ClaimedRole>Roi<");

        SignatureCheck s = verifier.verify(PesDocuments.parse(text.getBytes(StandardCharsets.ISO_8859_1), "t"))
                .signatures().get(0);

        assertThat(s.valid()).isFalse();
        assertThat(s.reason()).contains("empreinte").contains("propriétés XAdES");
    }

    @Test
    void aSignatureMovedOutOfWhatItSignsIsRefused() throws Exception {
        Document doc = Pes.parse(Pes.SIGNED_SAMPLE);
        Element sig = Pes.signatures(doc).get(0);
        // digests still match, but the signature is no longer enveloped in its Bordereau
        doc.getDocumentElement().appendChild(sig);

        SignatureCheck s = verifier.verify(doc).signatures().get(0);

        assertThat(s.valid()).isFalse();
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).contains("n'est pas placée dans l'élément qu'elle signe"));
    }

    @Test
    void anUnsignedFlowIsNotValid() throws Exception {
        VerificationReport report = verifier.verify(Pes.path(Pes.EXAMPLE));

        assertThat(report.signatures()).isEmpty();
        assertThat(report.valid()).isFalse();
        assertThat(report.reason()).isEqualTo("aucune signature dans le flux");
    }

    @Test
    void aCertificateNotValidAtTheSigningTimeMakesTheSignatureInvalid() throws Exception {
        Instant signingTime = Instant.now();
        SigningKey ended = TestKeys.between(signingTime.minus(Duration.ofDays(30)), signingTime.minus(Duration.ofDays(1)));
        Document doc = Pes.parse(Pes.EXAMPLE);
        // another signer, that does not check its certificate, sent us this
        new XadesSigner(DigestSuite.SHA256, false).sign(doc, ended, signingTime);

        SignatureCheck s = new SignatureVerifier().verify(doc).signatures().get(0);

        assertThat(s.valid()).isFalse();
        assertThat(s.certificateValidAtSigningTime()).isFalse();
        assertThat(s.certificateExpiredNow()).isTrue();
        assertThat(s.reason()).startsWith("certificat non valide à la date de signature");
    }

    @Test
    void anUnknownPolicyMakesTheSignatureInvalid() throws Exception {
        Document doc = Pes.parse(Pes.EXAMPLE);
        new XadesSigner().sign(doc, TestKeys.valid(), Instant.now());
        Element identifier = (Element) doc.getElementsByTagNameNS(HeliosPolicy.XADES_NS, "Identifier").item(0);
        identifier.setTextContent("urn:oid:1.2.3");

        SignatureCheck s = verifier.verify(doc).signatures().get(0);

        assertThat(s.valid()).isFalse();
        assertThat(s.policyOid()).isEqualTo("urn:oid:1.2.3");
        assertThat(s.policyKnown()).isFalse();
        assertThat(s.problems()).contains("politique de signature inconnue : urn:oid:1.2.3");
    }

    @Test
    void theJsonReportHasStableFieldNames() throws Exception {
        VerificationReport report = verifier.verify(Pes.path(Pes.SIGNED_SAMPLE));

        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(report.toJson(), Map.class);

        assertThat(json).containsOnlyKeys("source", "valid", "reason", "count", "signatures");
        assertThat(json.get("valid")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = ((java.util.List<Map<String, Object>>) json.get("signatures")).get(0);
        assertThat(s.keySet()).containsExactly("signatureId", "signed", "signedElement", "signedId", "wholeDocument",
                "idBord", "exer", "valid", "reason", "problems", "signer", "issuer", "serialNumber", "signingTime",
                "claimedRole", "policyOid", "policyKnown", "policyHashMatches", "signatureAlgorithm",
                "digestAlgorithm", "transforms", "references", "certificateNotBefore", "certificateNotAfter",
                "certificateValidAtSigningTime", "certificateExpiredNow", "certificateDaysLeft");
        assertThat(s.get("certificateNotBefore")).isEqualTo("2018-11-26T10:14:24Z");
        assertThat(s.get("certificateNotAfter")).isEqualTo("2020-04-29T13:20:14Z");
        assertThat(s.get("signingTime")).isEqualTo("2019-03-28T09:09:14.187Z");
        assertThat(s.get("certificateExpiredNow")).isEqualTo(true);
    }
}
