package fr.passerelle.api;

import java.util.Optional;

import org.apache.camel.Message;

import fr.passerelle.tenant.TenantRegistry;

/** Finds the caller from its API key (header X-Api-Key, or Authorization: Bearer). */
public final class ApiAuth {

    public static final String HEADER = "X-Api-Key";

    private final TenantRegistry tenants;

    public ApiAuth(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    public Caller caller(Message in) {
        String key = in.getHeader(HEADER, String.class);
        if (key == null) {
            String authorization = in.getHeader("Authorization", String.class);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = authorization.substring(7).trim();
            }
        }
        if (key == null || key.isBlank()) {
            throw new ApiException(401, "unauthorized", "Clé d'API manquante : envoyez-la dans l'en-tête X-Api-Key.");
        }
        Optional<String> operator = tenants.operatorForApiKey(key);
        if (operator.isPresent()) {
            return new Caller(null, operator.get());
        }
        return tenants.communeForApiKey(key).map(c -> new Caller(c, null))
                .orElseThrow(() -> new ApiException(401, "unauthorized", "Clé d'API inconnue."));
    }
}
