package fr.passerelle.signature;

import java.util.List;
import java.util.Optional;

/**
 * The DGFiP's Hélios signature policy as the flows carry it: the XAdES namespace and prefix of
 * real flows, the policies a signature may name (the current one we sign with, the older one we
 * still verify), the claimed role and the algorithms. Values are those of the real signed sample
 * and of the policy texts (the DGFiP "Politique de signature Hélios").
 */
public final class HeliosPolicy {

    /** XAdES 1.1.1: the namespace the PES schemas import and real flows use (not 1.3.2). */
    public static final String XADES_NS = "http://uri.etsi.org/01903/v1.1.1#";
    public static final String XADES_PREFIX = "xad";
    public static final String DS_NS = "http://www.w3.org/2000/09/xmldsig#";
    public static final String DS_PREFIX = "ds";
    /** The Type a Reference to the SignedProperties carries (XAdES 1.1.1, 6.2.1). */
    public static final String SIGNED_PROPERTIES_TYPE = XADES_NS + "SignedProperties";

    public static final String CLAIMED_ROLE = "Ordonnateur";
    public static final String POLICY_DESCRIPTION = "Politique de signature Helios de la DGFiP";

    public static final String EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public static final String ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public static final String SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    /** A policy a signature may name: its OID (as URN) and the hashes of its document we know. */
    public record Policy(String oid, String spuri, List<PolicyHash> hashes) {

        /** True when the given digest of the policy document is one we know for this policy. */
        public boolean hashMatches(String digestAlgorithm, String digestValue) {
            return hashes.stream().anyMatch(h -> h.algorithm().equals(digestAlgorithm)
                    && h.value().equals(digestValue == null ? null : digestValue.strip()));
        }
    }

    /** One digest of a policy document: the algorithm URI and the base64 value. */
    public record PolicyHash(String algorithm, String value) {
    }

    /** The policy in force, the one we sign with. */
    public static final Policy CURRENT = new Policy("urn:oid:1.2.250.1.131.1.5.18.21.1.7",
            "https://www.collectivites-locales.gouv.fr/files/files/finances_locales/dematerialisation/ps_helios_dgfip.pdf",
            List.of(new PolicyHash(SHA256, "roF9+cfRHNPtVJolhdqfIqGMVuUXX8aR4rpiquf0u5E=")));

    /**
     * The 2011 policy, for flows signed under it. Both hashes are those of its PDF
     * (samples/pes/politique-signature-helios-1.2.250.1.131.1.5.18.21.1.4.pdf): SHA-1
     * signatures of that time may have hashed it with SHA-1.
     */
    public static final Policy PREVIOUS = new Policy("urn:oid:1.2.250.1.131.1.5.18.21.1.4", null,
            List.of(new PolicyHash(SHA256, "pYtFgzn09kQWZywqdIGVd1fFI07tjKmEAyQHr0l/YAk="),
                    new PolicyHash(SHA1, "Jkdb+aba0Hz6+ZPKmKNhPByzQ+Q=")));

    public static final List<Policy> KNOWN = List.of(CURRENT, PREVIOUS);

    private HeliosPolicy() {
    }

    /**
     * The known policy an identifier designates. Flows write it as {@code urn:oid:…}; a bare OID
     * (some signers drop the URN prefix) designates the same policy.
     */
    public static Optional<Policy> known(String identifier) {
        if (identifier == null) {
            return Optional.empty();
        }
        String oid = bareOid(identifier);
        return KNOWN.stream().filter(p -> bareOid(p.oid()).equals(oid)).findFirst();
    }

    static String bareOid(String identifier) {
        String s = identifier.strip();
        return s.regionMatches(true, 0, "urn:oid:", 0, 8) ? s.substring(8) : s;
    }
}
