package fr.passerelle.signature;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;

import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.ObjectContainer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static fr.passerelle.signature.HeliosPolicy.DS_NS;

/**
 * Signs PES_Aller flows as Hélios expects (XAdES-EPES, enveloped, DGFiP policy): each Bordereau
 * on its own, its signature as its last child, or the whole PES_Aller. Bordereaux that already
 * carry a signature are verified and left as they are: an invalid one stops the signing, it is
 * never overwritten. The key's certificate must be valid at the signing time.
 * One instance serves any number of threads; the documents it is given are modified in place.
 */
public final class XadesSigner {

    /**
     * What one call did: the Ids it signed (the PES_Aller's Id, or "PES_Aller", when signed whole)
     * and the signatures it found already there, valid.
     */
    public record Result(List<String> signed, List<String> alreadySigned, boolean whole) {

        public Result {
            signed = List.copyOf(signed);
            alreadySigned = List.copyOf(alreadySigned);
        }

        /** False when the document was left exactly as it was (everything was already signed). */
        public boolean changed() {
            return !signed.isEmpty();
        }
    }

    private final DigestSuite suite;
    private final boolean refuseUnusableCertificate;
    private final SignatureVerifier verifier = new SignatureVerifier();

    public XadesSigner() {
        this(DigestSuite.SHA256, true);
    }

    /**
     * Tests only: SHA-1 produces the old flows the verifier must still accept; not refusing an
     * unusable certificate produces the bad signatures other signers may send us.
     */
    XadesSigner(DigestSuite suite, boolean refuseUnusableCertificate) {
        Santuario.init();
        this.suite = suite;
        this.refuseUnusableCertificate = refuseUnusableCertificate;
    }

    /**
     * Signs every Bordereau (PES_DepenseAller, PES_RecetteAller…) not signed yet. A flow with no
     * Bordereau at all (only PES_PJ, PES_Facture, PES_Marche…) has nothing to sign one by one: it
     * is signed whole, which is what Hélios accepts for it.
     */
    public Result sign(Document pes, SigningKey key, Instant signingTime) throws SigningException {
        checkUsable(key, signingTime);
        Element root = pesAller(pes);
        Element whole = signatureChild(root);
        if (whole != null) {
            // a whole-flow signature covers the Bordereaux: signing them now would break it
            keepExisting(whole, "le flux");
            return new Result(List.of(), List.of(describe(root)), true);
        }
        List<Element> bordereaux = bordereaux(pes);
        if (bordereaux.isEmpty()) {
            return signWhole(pes, key, signingTime);
        }
        // every existing signature is judged before anything is added: a refused flow is left as it came
        List<String> already = keepExistingBordereaux(bordereaux);
        Set<String> ids = ids(pes);
        List<String> signed = new ArrayList<>();
        for (Element bordereau : bordereaux) {
            if (signatureChild(bordereau) == null) {
                String id = ensureId(bordereau, ids);
                enveloped(pes, bordereau, "#" + id, key, signingTime, ids);
                signed.add(id);
            }
        }
        return new Result(signed, already, false);
    }

    /** Verifies the signatures Bordereaux already carry; answers their Ids. */
    private List<String> keepExistingBordereaux(List<Element> bordereaux) throws SigningException {
        List<String> already = new ArrayList<>();
        for (Element bordereau : bordereaux) {
            Element existing = signatureChild(bordereau);
            if (existing != null) {
                keepExisting(existing, "le bordereau " + describe(bordereau));
                already.add(bordereau.getAttributeNS(null, "Id"));
            }
        }
        return already;
    }

    /** Signs the whole PES_Aller (Reference URI ""), for communes whose flows are signed so. */
    public Result signWhole(Document pes, SigningKey key, Instant signingTime) throws SigningException {
        checkUsable(key, signingTime);
        Element root = pesAller(pes);
        Element existing = signatureChild(root);
        if (existing != null) {
            keepExisting(existing, "le flux");
            return new Result(List.of(), List.of(describe(root)), true);
        }
        // signed Bordereaux inside are covered as they are: an invalid one would get the flow refused
        keepExistingBordereaux(bordereaux(pes));
        enveloped(pes, root, "", key, signingTime, ids(pes));
        return new Result(List.of(root.hasAttributeNS(null, "Id") ? root.getAttributeNS(null, "Id") : root.getLocalName()),
                List.of(), true);
    }

    /**
     * The flow as bytes, signed: parsed hardened, signed, written as ISO-8859-1; when everything
     * was already signed, the bytes given, untouched (a signed PES is never re-serialised
     * without need).
     */
    public byte[] sign(byte[] pes, String name, SigningKey key, Instant signingTime, boolean whole)
            throws SigningException {
        Document doc = PesDocuments.parse(pes, name);
        Result result = whole ? signWhole(doc, key, signingTime) : sign(doc, key, signingTime);
        return result.changed() ? PesDocuments.toBytes(doc) : pes;
    }

    /** Only PES_Aller flows go to Hélios signed by the ordonnateur (acknowledgements and returns come from it). */
    private static Element pesAller(Document pes) throws SigningException {
        Element root = pes.getDocumentElement();
        if (!"PES_Aller".equals(root.getLocalName())) {
            throw new SigningException("seuls les flux PES_Aller sont signés (ce document est un " + root.getLocalName()
                    + ")");
        }
        return root;
    }

    /** A certificate not valid at the signing time gets the flow refused by Hélios: refused here first. */
    private void checkUsable(SigningKey key, Instant signingTime) throws CertificateNotUsableException {
        if (refuseUnusableCertificate) {
            requireUsable(key, signingTime);
        }
    }

    /** Refuses a certificate not valid at the signing time, with the reason for the commune. */
    public static void requireUsable(SigningKey key, Instant signingTime) throws CertificateNotUsableException {
        X509Certificate cert = key.certificate();
        String reason;
        try {
            cert.checkValidity(Date.from(signingTime));
            return;
        } catch (CertificateExpiredException e) {
            reason = "Le certificat de signature de " + CertificateExpiry.commonName(cert) + " a expiré le "
                    + CertificateExpiry.frenchDate(cert.getNotAfter().toInstant())
                    + " : le flux ne peut pas être signé tant que le certificat n'est pas renouvelé";
        } catch (CertificateNotYetValidException e) {
            reason = "Le certificat de signature de " + CertificateExpiry.commonName(cert)
                    + " n'est valide qu'à partir du " + CertificateExpiry.frenchDate(cert.getNotBefore().toInstant())
                    + " : le flux ne peut pas encore être signé";
        }
        throw new CertificateNotUsableException(reason + " (validité du "
                + CertificateExpiry.frenchDate(cert.getNotBefore().toInstant()) + " au "
                + CertificateExpiry.frenchDate(cert.getNotAfter().toInstant()) + ").",
                cert.getSubjectX500Principal().getName(), cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(), signingTime);
    }

    private void keepExisting(Element signature, String what) throws SigningException {
        SignatureCheck check = verifier.check(signature, Instant.now());
        if (!check.valid()) {
            throw new InvalidExistingSignatureException("La signature déjà présente sur " + what + " est invalide ("
                    + check.reason() + ") : elle n'est pas remplacée, le flux doit être corrigé et signé à nouveau par "
                    + "la commune.", check);
        }
    }

    /** Builds and computes one enveloped XAdES signature as the last child of {@code target}. */
    private void enveloped(Document doc, Element target, String uri, SigningKey key, Instant signingTime,
                           Set<String> ids) throws SigningException {
        String base = uri.isEmpty() ? "SIG_" + (target.hasAttributeNS(null, "Id") ? target.getAttributeNS(null, "Id")
                : "PES") : "SIG_" + uri.substring(1);
        String signatureId = unique(base, ids);
        String propertiesId = unique(signatureId + "_SP", ids);
        try {
            XMLSignature sig = new XMLSignature(doc, "", suite.signatureUri, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            sig.setId(signatureId);
            target.appendChild(sig.getElement());
            Element signatureValue = firstDs(sig.getElement(), "SignatureValue");
            signatureValue.setAttributeNS(null, "Id", unique(signatureId + "_SV", ids));
            signatureValue.setIdAttributeNS(null, "Id", true);

            Transforms content = new Transforms(doc);
            content.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            content.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            sig.addDocument(uri, content, suite.digestUri);

            sig.addKeyInfo(key.certificate());
            sig.getKeyInfo().setId(unique(signatureId + "_KI", ids));
            // Santuario declares ds: again on KeyInfo; real flows do not (KeyInfo is not signed)
            sig.getKeyInfo().getElement().removeAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "ds");

            ObjectContainer object = new ObjectContainer(doc);
            object.setId(unique(signatureId + "_QI", ids));
            object.appendChild(new XadesProperties(doc).qualifyingProperties(signatureId, propertiesId,
                    key.certificate(), signingTime, suite));
            sig.appendObject(object);
            Transforms properties = new Transforms(doc);
            properties.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            sig.addDocument("#" + propertiesId, properties, suite.digestUri, null, HeliosPolicy.SIGNED_PROPERTIES_TYPE);

            sig.sign(key.privateKey());
            if (!Santuario.compact()) {
                // outside SignedInfo and SignedProperties, so not signed: line breaks can go
                compact(signatureValue);
                NodeList certs = sig.getElement().getElementsByTagNameNS(DS_NS, "X509Certificate");
                for (int i = 0; i < certs.getLength(); i++) {
                    compact((Element) certs.item(i));
                }
            }
        } catch (XMLSecurityException e) {
            throw new SigningException("la signature de " + describe(target) + " a échoué (" + e.getMessage() + ")", e);
        }
    }

    private static void compact(Element e) {
        e.setTextContent(e.getTextContent().replaceAll("\\s", ""));
    }

    /** The Bordereaux of every domain: elements named Bordereau directly under a *Aller block. */
    static List<Element> bordereaux(Document pes) {
        List<Element> found = new ArrayList<>();
        for (Element domain = PesDocuments.firstElement(pes.getDocumentElement()); domain != null;
             domain = PesDocuments.nextElement(domain)) {
            for (Element e = PesDocuments.firstElement(domain); e != null; e = PesDocuments.nextElement(e)) {
                if ("Bordereau".equals(e.getLocalName()) && e.getNamespaceURI() == null) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    /** The ds:Signature child of an element (the last child, where the schemas place it), if any. */
    static Element signatureChild(Element parent) {
        for (Element e = PesDocuments.firstElement(parent); e != null; e = PesDocuments.nextElement(e)) {
            if ("Signature".equals(e.getLocalName()) && DS_NS.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    private static Element firstDs(Element parent, String localName) {
        for (Element e = PesDocuments.firstElement(parent); e != null; e = PesDocuments.nextElement(e)) {
            if (localName.equals(e.getLocalName()) && DS_NS.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        throw new IllegalStateException("no ds:" + localName + " in " + parent.getTagName());
    }

    /** A Bordereau without Id gets one (the schemas require it when Bordereaux are signed one by one). */
    private static String ensureId(Element bordereau, Set<String> ids) {
        if (bordereau.hasAttributeNS(null, "Id") && !bordereau.getAttributeNS(null, "Id").isBlank()) {
            return bordereau.getAttributeNS(null, "Id");
        }
        String exer = valueOf(bordereau, "Exer");
        String idBord = valueOf(bordereau, "IdBord");
        String base = exer != null && idBord != null && (exer + idBord).matches("[A-Za-z0-9]+")
                ? "BORD_" + exer + "_" + idBord : "BORD";
        String id = unique(base, ids);
        bordereau.setAttributeNS(null, "Id", id);
        bordereau.setIdAttributeNS(null, "Id", true);
        return id;
    }

    /** The V attribute of BlocBordereau/{name}, or null. */
    static String valueOf(Element bordereau, String name) {
        Element bloc = PesDocuments.firstElement(bordereau);
        if (bloc == null || !"BlocBordereau".equals(bloc.getLocalName())) {
            return null;
        }
        for (Element e = PesDocuments.firstElement(bloc); e != null; e = PesDocuments.nextElement(e)) {
            if (name.equals(e.getLocalName())) {
                return e.getAttributeNS(null, "V");
            }
        }
        return null;
    }

    private static Set<String> ids(Document doc) {
        Set<String> ids = new HashSet<>();
        collectIds(doc.getDocumentElement(), ids);
        return ids;
    }

    private static void collectIds(Element e, Set<String> ids) {
        if (e.hasAttributeNS(null, "Id")) {
            ids.add(e.getAttributeNS(null, "Id"));
        }
        for (Element c = PesDocuments.firstElement(e); c != null; c = PesDocuments.nextElement(c)) {
            collectIds(c, ids);
        }
    }

    private static String unique(String base, Set<String> ids) {
        String id = base;
        for (int n = 2; ids.contains(id); n++) {
            id = base + "_" + n;
        }
        ids.add(id);
        return id;
    }

    static String describe(Element e) {
        String id = e.getAttributeNS(null, "Id");
        return e.getLocalName() + (id.isEmpty() ? "" : " " + id);
    }
}
