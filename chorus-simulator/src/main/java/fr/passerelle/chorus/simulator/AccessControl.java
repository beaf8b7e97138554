package fr.passerelle.chorus.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * PISTE's two locks: the OAuth2 client (client_credentials, bearer tokens with a lifetime) and Chorus Pro's
 * technical account in the {@code cpro-account} header, {@code base64(login:password)}.
 */
final class AccessControl {

    private final ChorusProSimulator.Options options;
    private final Supplier<Instant> now;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    AccessControl(ChorusProSimulator.Options options, Supplier<Instant> now) {
        this.options = options;
        this.now = now;
    }

    boolean clientValid(String clientId, String clientSecret) {
        return same(options.clientId(), clientId) & same(options.clientSecret(), clientSecret);
    }

    /** A new bearer token, valid for the options' token lifetime. */
    String issue() {
        Instant at = now.get();
        tokens.values().removeIf(expiry -> !at.isBefore(expiry));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, at.plus(options.tokenLifetime()));
        return token;
    }

    long lifetimeSeconds() {
        return options.tokenLifetime().toSeconds();
    }

    /** The token of an {@code Authorization: Bearer …} header, null when there is none. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    boolean tokenValid(String token) {
        Instant expiry = token == null ? null : tokens.get(token);
        return expiry != null && now.get().isBefore(expiry);
    }

    void revoke(String token) {
        if (token != null) {
            tokens.remove(token);
        }
    }

    /** True when the cpro-account header names a technical account with its password. */
    boolean accountValid(String header) {
        String[] credentials = decodePair(header);
        if (credentials == null) {
            return false;
        }
        String password = options.technicalAccounts().get(credentials[0]);
        return password != null && same(password, credentials[1]);
    }

    /** {login, password} of a base64 "login:password" (as in cpro-account or after "Basic "), null when malformed. */
    static String[] decodePair(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
