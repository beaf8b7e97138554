package fr.passerelle.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The algorithms of one signature: RSA-SHA256 with SHA-256 digests as the policy asks today, or
 * RSA-SHA1 with SHA-1 as the 2011 text allowed (kept to produce and verify old flows in tests).
 */
enum DigestSuite {
    SHA256(HeliosPolicy.RSA_SHA256, HeliosPolicy.SHA256),
    SHA1(HeliosPolicy.RSA_SHA1, HeliosPolicy.SHA1);

    /** JCA names of the digest algorithm URIs a signature may carry. */
    private static final Map<String, String> JCA = Map.of(
            HeliosPolicy.SHA1, "SHA-1",
            "http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA-224",
            HeliosPolicy.SHA256, "SHA-256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384",
            "http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512");

    final String signatureUri;
    final String digestUri;

    DigestSuite(String signatureUri, String digestUri) {
        this.signatureUri = signatureUri;
        this.digestUri = digestUri;
    }

    /** The base64 digest of the bytes with the algorithm the URI names; empty when unknown. */
    static Optional<String> digest(String digestUri, byte[] bytes) {
        String name = JCA.get(digestUri);
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getEncoder().encodeToString(MessageDigest.getInstance(name).digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }
}
