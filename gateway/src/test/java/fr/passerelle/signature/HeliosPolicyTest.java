package fr.passerelle.signature;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import fr.passerelle.Samples;

import static org.assertj.core.api.Assertions.assertThat;

class HeliosPolicyTest {

    @Test
    void knowsBothPoliciesWithOrWithoutTheUrnPrefix() {
        assertThat(HeliosPolicy.known("urn:oid:1.2.250.1.131.1.5.18.21.1.7")).contains(HeliosPolicy.CURRENT);
        assertThat(HeliosPolicy.known("1.2.250.1.131.1.5.18.21.1.7")).contains(HeliosPolicy.CURRENT);
        assertThat(HeliosPolicy.known(" URN:OID:1.2.250.1.131.1.5.18.21.1.4 ")).contains(HeliosPolicy.PREVIOUS);
        assertThat(HeliosPolicy.known("urn:oid:1.2.250.1.131.1.5.18.21.1.5")).isEmpty();
        assertThat(HeliosPolicy.known(null)).isEmpty();
    }

    @Test
    void theOlderPolicyHashesAreThoseOfItsText() throws Exception {
        byte[] pdf = Files.readAllBytes(Samples.sample("pes/politique-signature-helios-1.2.250.1.131.1.5.18.21.1.4.pdf"));

        for (HeliosPolicy.PolicyHash hash : HeliosPolicy.PREVIOUS.hashes()) {
            assertThat(DigestSuite.digest(hash.algorithm(), pdf)).contains(hash.value());
        }
        assertThat(HeliosPolicy.PREVIOUS.hashMatches(HeliosPolicy.SHA256, "pYtFgzn09kQWZywqdIGVd1fFI07tjKmEAyQHr0l/YAk="))
                .isTrue();
        assertThat(HeliosPolicy.CURRENT.hashMatches(HeliosPolicy.SHA1, "roF9+cfRHNPtVJolhdqfIqGMVuUXX8aR4rpiquf0u5E="))
                .isFalse();
    }
}
