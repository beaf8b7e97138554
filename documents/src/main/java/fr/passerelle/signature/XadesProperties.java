package fr.passerelle.signature;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import javax.xml.XMLConstants;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static fr.passerelle.signature.HeliosPolicy.DS_NS;
import static fr.passerelle.signature.HeliosPolicy.XADES_NS;
import static fr.passerelle.signature.HeliosPolicy.XADES_PREFIX;

/**
 * Builds the XAdES-EPES signed properties of a Hélios signature, element for element as in the
 * real signed sample: SigningTime (UTC, milliseconds), SigningCertificate (digest and
 * IssuerSerial), SignaturePolicyIdentifier (identifier, description, hash, SPURI) and the
 * claimed role. SignatureProductionPlace, optional, is left out: we do not know where the
 * ordonnateur is.
 */
final class XadesProperties {

    static final DateTimeFormatter SIGNING_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Document doc;

    XadesProperties(Document doc) {
        this.doc = doc;
    }

    /**
     * The QualifyingProperties element of the signature {@code signatureId}; its SignedProperties
     * carries {@code signedPropertiesId}, already registered as an XML ID so that the reference
     * to it resolves when signing.
     */
    Element qualifyingProperties(String signatureId, String signedPropertiesId, X509Certificate certificate,
                                 Instant signingTime, DigestSuite suite) throws SigningException {
        Element qp = xad("QualifyingProperties");
        declareXades(qp);
        qp.setAttributeNS(null, "Target", "#" + signatureId);
        Element sp = child(qp, "SignedProperties");
        // declared again on SignedProperties, as in real flows: the element is canonicalised alone
        declareXades(sp);
        sp.setAttributeNS(null, "Id", signedPropertiesId);
        sp.setIdAttributeNS(null, "Id", true);
        Element ssp = child(sp, "SignedSignatureProperties");
        text(child(ssp, "SigningTime"), SIGNING_TIME.format(signingTime));

        Element cert = child(child(ssp, "SigningCertificate"), "Cert");
        byte[] encoded;
        try {
            encoded = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new SigningException("le certificat de signature est illisible (" + e.getMessage() + ")", e);
        }
        digest(child(cert, "CertDigest"), suite.digestUri, DigestSuite.digest(suite.digestUri, encoded).orElseThrow());
        Element issuerSerial = child(cert, "IssuerSerial");
        text(ds(issuerSerial, "X509IssuerName"), certificate.getIssuerX500Principal().getName());
        text(ds(issuerSerial, "X509SerialNumber"), certificate.getSerialNumber().toString());

        HeliosPolicy.Policy policy = HeliosPolicy.CURRENT;
        Element policyId = child(child(ssp, "SignaturePolicyIdentifier"), "SignaturePolicyId");
        Element sigPolicyId = child(policyId, "SigPolicyId");
        text(child(sigPolicyId, "Identifier"), policy.oid());
        text(child(sigPolicyId, "Description"), HeliosPolicy.POLICY_DESCRIPTION);
        HeliosPolicy.PolicyHash hash = policy.hashes().get(0);
        digest(child(policyId, "SigPolicyHash"), hash.algorithm(), hash.value());
        text(child(child(child(policyId, "SigPolicyQualifiers"), "SigPolicyQualifier"), "SPURI"), policy.spuri());

        text(child(child(child(ssp, "SignerRole"), "ClaimedRoles"), "ClaimedRole"), HeliosPolicy.CLAIMED_ROLE);
        return qp;
    }

    private void declareXades(Element e) {
        // Santuario canonicalises from the DOM's xmlns attributes, not from the elements' namespace
        e.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + XADES_PREFIX, XADES_NS);
    }

    private void digest(Element parent, String algorithm, String value) {
        child(parent, "DigestMethod").setAttributeNS(null, "Algorithm", algorithm);
        text(child(parent, "DigestValue"), value);
    }

    private Element xad(String name) {
        return doc.createElementNS(XADES_NS, XADES_PREFIX + ":" + name);
    }

    private Element child(Element parent, String name) {
        return (Element) parent.appendChild(xad(name));
    }

    private Element ds(Element parent, String name) {
        return (Element) parent.appendChild(doc.createElementNS(DS_NS, HeliosPolicy.DS_PREFIX + ":" + name));
    }

    private static void text(Element e, String value) {
        e.setTextContent(value);
    }
}
