package fr.passerelle.signature;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The ordonnateur's signing key: the private key and its certificate chain, the signing
 * certificate first. Never logged: {@link #toString()} names the certificate only.
 */
public record SigningKey(PrivateKey privateKey, List<X509Certificate> chain) {

    public SigningKey {
        if (privateKey == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs its private key and at least its certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "SigningKey[" + certificate().getSubjectX500Principal().getName() + ", serial "
                + certificate().getSerialNumber() + "]";
    }
}
