package fr.passerelle.signature;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.apache.xml.security.algorithms.SignatureAlgorithm;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static fr.passerelle.signature.HeliosPolicy.DS_NS;

/**
 * Verifies every ds:Signature of a PES as Hélios would: each reference's digest, the signature
 * value with the certificate of KeyInfo, that the signature is enveloped in what it signs (a
 * signature moved elsewhere, or wrapping another element, is refused), the XAdES properties
 * (SigningCertificate is the KeyInfo certificate, a known DGFiP policy with its hash, a signing
 * time at which the certificate was valid). SHA-1 signatures of older flows verify as well.
 * No revocation or trust-chain check here: that needs the RGS trust lists and CRLs.
 * One instance serves any number of threads.
 */
public final class SignatureVerifier {

    private final Clock clock;

    private static final int MAX_CACHED_CERTIFICATES = 512;
    /** IssuerSerial names as written in SigningCertificate, parsed once (bounded with the certificates). */
    private static final java.util.Map<String, X500Principal> ISSUERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, X509Certificate> CERTIFICATES = new java.util.concurrent.ConcurrentHashMap<>();

    public SignatureVerifier() {
        this(Clock.systemUTC());
    }

    /** With a clock: "expired today" is judged at its instant. */
    public SignatureVerifier(Clock clock) {
        Santuario.init();
        this.clock = clock;
    }

    /** Parses (hardened) and verifies a file; {@link PesDocumentException} when it is not readable XML. */
    public VerificationReport verify(Path file) {
        return verify(PesDocuments.parse(file), file.toString());
    }

    public VerificationReport verify(Document doc) {
        return verify(doc, null);
    }

    public VerificationReport verify(Document doc, String source) {
        try {
            return verifyAll(doc, source);
        } catch (StackOverflowError e) {
            // documents parsed by PesDocuments are within the depth limit; one built elsewhere may not be
            throw new PesDocumentException((source == null ? "document" : source) + " : [LIMIT-XML-DEPTH] le document "
                    + "est imbriqué trop profondément pour que ses signatures soient vérifiées.", "LIMIT-XML-DEPTH");
        }
    }

    private VerificationReport verifyAll(Document doc, String source) {
        Set<String> duplicates = PesDocuments.ensureIdsRegistered(doc);
        Instant now = clock.instant();
        NodeList found = doc.getElementsByTagNameNS(DS_NS, "Signature");
        List<Element> signatures = new ArrayList<>();
        for (int i = 0; i < found.getLength(); i++) {
            signatures.add((Element) found.item(i));
        }
        List<SignatureCheck> checks = new ArrayList<>();
        for (Element signature : signatures) {
            checks.add(check(signature, now, duplicates));
        }
        return new VerificationReport(source, checks);
    }

    SignatureCheck check(Element signature, Instant now) {
        return check(signature, now, Set.of());
    }

    private SignatureCheck check(Element signatureElement, Instant now, Set<String> duplicateIds) {
        Check c = new Check();
        c.signatureId = signatureElement.hasAttributeNS(null, "Id") ? signatureElement.getAttributeNS(null, "Id") : null;
        Element parent = signatureElement.getParentNode() instanceof Element p ? p : null;
        XMLSignature sig;
        try {
            // secure validation: bounded references and transforms, no MD5, no external resources
            sig = new XMLSignature(signatureElement, "", true);
        } catch (XMLSecurityException e) {
            c.problems.add("signature illisible (" + e.getMessage() + ")");
            return c.build(now);
        }
        SignedInfo si = sig.getSignedInfo();
        c.signatureAlgorithm = si.getSignatureMethodURI();
        Element signedProperties = SignedPropertiesFacts.find(signatureElement);
        boolean propertiesCovered = references(c, si, signatureElement, parent, signedProperties, duplicateIds);

        SignedPropertiesFacts facts = signedProperties == null ? null : SignedPropertiesFacts.read(signedProperties);
        X509Certificate cert = signingCertificate(c, signatureElement, facts);
        if (cert != null) {
            c.certificate = cert;
            signatureValue(c, sig, si, cert);
        }
        if (facts == null) {
            c.problems.add("pas de propriétés XAdES signées (SigningTime, politique) : non conforme à la politique "
                    + "de signature Hélios");
        } else {
            if (!propertiesCovered) {
                c.problems.add("les propriétés XAdES ne sont pas couvertes par la signature");
            }
            properties(c, facts, cert);
        }
        return c.build(now);
    }

    /** Checks each reference; returns true when one of them covers the SignedProperties. */
    private static boolean references(Check c, SignedInfo si, Element signature, Element parent,
                                      Element signedProperties, Set<String> duplicateIds) {
        Document doc = signature.getOwnerDocument();
        boolean propertiesCovered = false;
        int content = 0;
        c.references = si.getLength();
        for (int i = 0; i < si.getLength(); i++) {
            Reference ref;
            try {
                ref = si.item(i);
            } catch (XMLSecurityException e) {
                c.problems.add("référence n° " + (i + 1) + " illisible (" + e.getMessage() + ")");
                continue;
            }
            String uri = ref.getURI() == null ? "" : ref.getURI();
            Node target = uri.isEmpty() ? doc.getDocumentElement()
                    : uri.startsWith("#") ? doc.getElementById(uri.substring(1)) : null;
            String label;
            if (target != null && target == signedProperties) {
                propertiesCovered = true;
                label = "les propriétés XAdES (" + uri + ")";
            } else if (target != null && isInside(target, signature)) {
                label = "la référence " + uri; // KeyInfo or another part of the signature itself
            } else {
                content++;
                label = target instanceof Element e ? e.getLocalName() + (uri.isEmpty() ? " (document entier)" : " " + uri.substring(1))
                        : "la référence " + (uri.isEmpty() ? "\"\"" : uri);
                content(c, ref, uri, target, parent, doc, duplicateIds);
            }
            if (target == null) {
                c.problems.add(uri.startsWith("#") ? "l'élément référencé " + uri + " est introuvable dans le flux"
                        : "référence " + uri + " hors du flux : refusée");
                continue;
            }
            try {
                if (!ref.verify()) {
                    c.problems.add("empreinte (digest) différente pour " + label
                            + " : le contenu signé a été modifié après la signature");
                }
            } catch (XMLSecurityException e) {
                c.problems.add("empreinte de " + label + " incalculable (" + e.getMessage() + ")");
            }
        }
        if (content == 0) {
            c.problems.add("la signature ne couvre aucun contenu du flux");
        } else if (content > 1) {
            c.problems.add("la signature couvre " + content + " contenus : la politique Hélios en veut un seul "
                    + "(un bordereau ou le flux entier)");
        }
        return propertiesCovered;
    }

    /** The reference to the signed content: it must be the element the signature is enveloped in. */
    private static void content(Check c, Reference ref, String uri, Node target, Element parent, Document doc,
                                Set<String> duplicateIds) {
        try {
            c.digestAlgorithm = ref.getMessageDigestAlgorithm().getAlgorithmURI();
            Transforms transforms = ref.getTransforms();
            if (transforms != null) {
                for (int t = 0; t < transforms.getLength(); t++) {
                    c.transforms.add(transforms.item(t).getURI());
                }
            }
        } catch (XMLSecurityException e) {
            c.problems.add("transformations de la référence " + uri + " illisibles (" + e.getMessage() + ")");
        }
        c.wholeDocument = uri.isEmpty();
        if (target instanceof Element e) {
            c.signedElement = e.getLocalName();
            c.signedId = e.hasAttributeNS(null, "Id") ? e.getAttributeNS(null, "Id") : null;
            if ("Bordereau".equals(e.getLocalName())) {
                c.idBord = XadesSigner.valueOf(e, "IdBord");
                c.exer = XadesSigner.valueOf(e, "Exer");
            }
        }
        if (!uri.isEmpty() && duplicateIds.contains(uri.substring(1))) {
            c.problems.add("l'Id " + uri.substring(1) + " est porté par plusieurs éléments : référence ambiguë");
        }
        if (target != null && target != parent && !(uri.isEmpty() && parent == doc.getDocumentElement())) {
            c.problems.add("la signature n'est pas placée dans l'élément qu'elle signe (" + (uri.isEmpty() ? "document"
                    : uri) + ") : signature déplacée ou enveloppe falsifiée");
        }
    }

    private static boolean isInside(Node node, Element ancestor) {
        for (Node n = node; n != null; n = n.getParentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    /**
     * The certificate of KeyInfo that signed: the one SigningCertificate designates when KeyInfo
     * carries a chain, otherwise the first.
     */
    private static X509Certificate signingCertificate(Check c, Element signature, SignedPropertiesFacts facts) {
        List<X509Certificate> certs = new ArrayList<>();
        Element keyInfo = SignedPropertiesFacts.child(signature, "KeyInfo");
        if (keyInfo != null) {
            NodeList nodes = keyInfo.getElementsByTagNameNS(DS_NS, "X509Certificate");
            for (int i = 0; i < nodes.getLength(); i++) {
                try {
                    certs.add(certificate(nodes.item(i).getTextContent()));
                } catch (CertificateException | IllegalArgumentException e) {
                    c.problems.add("certificat illisible dans KeyInfo (" + e.getMessage() + ")");
                }
            }
        }
        if (certs.isEmpty()) {
            c.problems.add("aucun certificat X.509 dans KeyInfo : la signature ne peut pas être vérifiée");
            return null;
        }
        if (facts != null) {
            for (X509Certificate cert : certs) {
                if (designated(facts, cert).isPresent()) {
                    return cert;
                }
            }
        }
        return certs.get(0);
    }

    /**
     * A certificate of KeyInfo, parsed once: a commune signs all its flows with the same few
     * certificates, and parsing X.509 is a good part of a verification's cost.
     */
    private static X509Certificate certificate(String base64) throws CertificateException {
        String key = base64.replaceAll("\\s", "");
        X509Certificate known = CERTIFICATES.get(key);
        if (known != null) {
            return known;
        }
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(key)));
        if (CERTIFICATES.size() >= MAX_CACHED_CERTIFICATES) {
            CERTIFICATES.clear(); // crude bound: a few hundred communes' certificates at most
            ISSUERS.clear();
        }
        CERTIFICATES.put(key, parsed);
        return parsed;
    }

    /** The SigningCertificate entry whose digest is that of the certificate. */
    private static Optional<SignedPropertiesFacts.CertId> designated(SignedPropertiesFacts facts, X509Certificate cert) {
        byte[] der;
        try {
            der = cert.getEncoded();
        } catch (CertificateException e) {
            return Optional.empty();
        }
        return facts.certificates().stream().filter(id -> id.digestValue() != null
                && DigestSuite.digest(id.digestAlgorithm(), der).map(d -> d.equals(id.digestValue())).orElse(false))
                .findFirst();
    }

    private static void signatureValue(Check c, XMLSignature sig, SignedInfo si, X509Certificate cert) {
        try {
            SignatureAlgorithm algorithm = si.getSignatureAlgorithm();
            algorithm.initVerify(cert.getPublicKey());
            algorithm.update(si.getCanonicalizedOctetStream());
            if (!algorithm.verify(sig.getSignatureValue())) {
                c.problems.add("valeur de signature incorrecte : les informations signées (SignedInfo) ont été "
                        + "modifiées, ou la signature n'a pas été faite avec la clé du certificat joint");
            }
        } catch (XMLSecurityException | java.io.IOException e) {
            c.problems.add("valeur de signature invérifiable (" + e.getMessage() + ")");
        }
    }

    private static void properties(Check c, SignedPropertiesFacts facts, X509Certificate cert) {
        c.signingTime = facts.signingTime();
        if (facts.signingTimeText() == null) {
            c.problems.add("pas d'heure de signature (SigningTime)");
        } else if (facts.signingTime() == null) {
            c.problems.add("heure de signature illisible : " + facts.signingTimeText());
        }
        c.claimedRole = facts.claimedRoles().isEmpty() ? null : String.join(", ", facts.claimedRoles());
        c.policyOid = facts.policyIdentifier();
        Optional<HeliosPolicy.Policy> policy = HeliosPolicy.known(facts.policyIdentifier());
        c.policyKnown = policy.isPresent();
        c.policyHashMatches = policy.map(p -> p.hashMatches(facts.policyHashAlgorithm(), facts.policyHashValue()))
                .orElse(false);
        if (facts.policyIdentifier() == null) {
            c.problems.add(facts.policyImplied() ? "politique de signature implicite : Hélios exige la politique DGFiP"
                    : "pas de politique de signature (SignaturePolicyIdentifier)");
        } else if (policy.isEmpty()) {
            c.problems.add("politique de signature inconnue : " + facts.policyIdentifier());
        } else if (!c.policyHashMatches) {
            c.problems.add("l'empreinte de la politique " + facts.policyIdentifier()
                    + " (SigPolicyHash) ne correspond pas au texte de la DGFiP");
        }
        if (cert == null) {
            return;
        }
        if (facts.certificates().isEmpty()) {
            c.problems.add("pas de certificat signataire désigné (SigningCertificate)");
        } else {
            Optional<SignedPropertiesFacts.CertId> id = designated(facts, cert);
            if (id.isEmpty()) {
                c.problems.add("le certificat joint (KeyInfo) n'est pas celui que désigne SigningCertificate");
            } else if (!sameIssuerSerial(id.get(), cert)) {
                c.problems.add("émetteur ou numéro de série de SigningCertificate différents de ceux du certificat joint");
            }
        }
        if (c.signingTime != null) {
            c.validAtSigningTime = CertificateExpiry.validAt(cert, c.signingTime);
            if (!c.validAtSigningTime) {
                c.problems.add("certificat non valide à la date de signature ("
                        + CertificateExpiry.frenchDate(c.signingTime) + ") : valide du "
                        + CertificateExpiry.frenchDate(cert.getNotBefore().toInstant()) + " au "
                        + CertificateExpiry.frenchDate(cert.getNotAfter().toInstant()));
            }
        }
    }

    private static boolean sameIssuerSerial(SignedPropertiesFacts.CertId id, X509Certificate cert) {
        try {
            boolean serial = id.serialNumber() == null || new BigInteger(id.serialNumber()).equals(cert.getSerialNumber());
            if (ISSUERS.size() >= 4 * MAX_CACHED_CERTIFICATES) {
                ISSUERS.clear(); // names come from the flows: bounded whatever they say
            }
            boolean issuer = id.issuerName() == null
                    || ISSUERS.computeIfAbsent(id.issuerName(), X500Principal::new).equals(cert.getIssuerX500Principal());
            return serial && issuer;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The facts gathered while checking one signature. */
    private static final class Check {
        String signatureId;
        String signedElement;
        String signedId;
        boolean wholeDocument;
        String idBord;
        String exer;
        String signatureAlgorithm;
        String digestAlgorithm;
        final List<String> transforms = new ArrayList<>();
        int references;
        X509Certificate certificate;
        Instant signingTime;
        String claimedRole;
        String policyOid;
        boolean policyKnown;
        boolean policyHashMatches;
        Boolean validAtSigningTime;
        final List<String> problems = new ArrayList<>();

        SignatureCheck build(Instant now) {
            X509Certificate cert = certificate;
            return new SignatureCheck(signatureId, signedElement, signedId, wholeDocument, idBord, exer,
                    cert == null ? null : CertificateExpiry.name(cert.getSubjectX500Principal()),
                    cert == null ? null : CertificateExpiry.name(cert.getIssuerX500Principal()),
                    cert == null ? null : cert.getSerialNumber().toString(),
                    signingTime, claimedRole, policyOid, policyKnown, policyHashMatches, signatureAlgorithm,
                    digestAlgorithm, transforms, references,
                    cert == null ? null : cert.getNotBefore().toInstant(),
                    cert == null ? null : cert.getNotAfter().toInstant(),
                    validAtSigningTime,
                    cert != null && now.isAfter(cert.getNotAfter().toInstant()),
                    cert == null ? null : CertificateExpiry.daysLeft(cert, now),
                    problems.isEmpty(), problems.isEmpty() ? null : problems.get(0), problems);
        }
    }
}
