package fr.passerelle.signature;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

/**
 * What the XAdES signed properties of a signature say, read by local name so that XAdES 1.1.1
 * (Hélios), 1.2.2 and 1.3.2 signatures read alike (they differ in namespace and in whether
 * CertDigest's children are ds: or xad:).
 */
record SignedPropertiesFacts(
        Element element,
        String signingTimeText,
        Instant signingTime,
        List<CertId> certificates,
        String policyIdentifier,
        boolean policyImplied,
        String policyHashAlgorithm,
        String policyHashValue,
        List<String> claimedRoles) {

    static final String XADES_NS_PREFIX = "http://uri.etsi.org/01903/";

    /** One SigningCertificate/Cert entry. */
    record CertId(String digestAlgorithm, String digestValue, String issuerName, String serialNumber) {
    }

    /** The SignedProperties inside the signature's ds:Object/QualifyingProperties; null when absent. */
    static Element find(Element signature) {
        for (Element object = PesDocuments.firstElement(signature); object != null;
             object = PesDocuments.nextElement(object)) {
            if (!"Object".equals(object.getLocalName()) || !HeliosPolicy.DS_NS.equals(object.getNamespaceURI())) {
                continue;
            }
            for (Element qp = PesDocuments.firstElement(object); qp != null; qp = PesDocuments.nextElement(qp)) {
                if (isXades(qp, "QualifyingProperties")) {
                    Element sp = child(qp, "SignedProperties");
                    if (sp != null && isXades(sp, "SignedProperties")) {
                        return sp;
                    }
                }
            }
        }
        return null;
    }

    static SignedPropertiesFacts read(Element signedProperties) {
        Element ssp = child(signedProperties, "SignedSignatureProperties");
        String timeText = text(child(ssp, "SigningTime"));
        List<CertId> certs = new ArrayList<>();
        Element signingCertificate = child(ssp, "SigningCertificate");
        if (signingCertificate != null) {
            for (Element cert = PesDocuments.firstElement(signingCertificate); cert != null;
                 cert = PesDocuments.nextElement(cert)) {
                Element digest = child(cert, "CertDigest");
                Element issuerSerial = child(cert, "IssuerSerial");
                certs.add(new CertId(attribute(child(digest, "DigestMethod"), "Algorithm"),
                        text(child(digest, "DigestValue")), text(child(issuerSerial, "X509IssuerName")),
                        text(child(issuerSerial, "X509SerialNumber"))));
            }
        }
        Element policy = child(ssp, "SignaturePolicyIdentifier");
        Element policyId = child(policy, "SignaturePolicyId");
        Element hash = child(policyId, "SigPolicyHash");
        List<String> roles = new ArrayList<>();
        Element claimed = child(child(ssp, "SignerRole"), "ClaimedRoles");
        if (claimed != null) {
            for (Element role = PesDocuments.firstElement(claimed); role != null; role = PesDocuments.nextElement(role)) {
                roles.add(text(role));
            }
        }
        return new SignedPropertiesFacts(signedProperties, timeText, instant(timeText), certs,
                text(child(child(policyId, "SigPolicyId"), "Identifier")), child(policy, "SignaturePolicyImplied") != null,
                attribute(child(hash, "DigestMethod"), "Algorithm"), text(child(hash, "DigestValue")), roles);
    }

    /** xs:dateTime; without a zone it is taken as UTC (Hélios asks for UTC). Null when unreadable. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static boolean isXades(Element e, String localName) {
        return localName.equals(e.getLocalName()) && e.getNamespaceURI() != null
                && e.getNamespaceURI().startsWith(XADES_NS_PREFIX);
    }

    static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (Element e = PesDocuments.firstElement(parent); e != null; e = PesDocuments.nextElement(e)) {
            if (localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }

    private static String attribute(Element e, String name) {
        return e == null || !e.hasAttributeNS(null, name) ? null : e.getAttributeNS(null, name);
    }
}
