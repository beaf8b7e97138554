package fr.passerelle.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * API keys are long random tokens, so a plain SHA-256 is enough to store them safely
 * (no dictionary to attack); the configuration holds {@code sha256:<hex>} only.
 */
public final class ApiKeys {

    public static final String PREFIX = "sha256:";

    private ApiKeys() {
    }

    public static String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a key is the one a configured hash was made from (constant time: no timing hint). */
    public static boolean matches(String apiKey, String configuredHash) {
        return configuredHash != null && MessageDigest.isEqual(hash(apiKey).getBytes(StandardCharsets.US_ASCII),
                configuredHash.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean isHash(String value) {
        return value != null && value.matches("sha256:[0-9a-f]{64}");
    }
}
