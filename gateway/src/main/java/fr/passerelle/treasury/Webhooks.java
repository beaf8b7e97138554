package fr.passerelle.treasury;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import fr.passerelle.tenant.Commune;
import fr.passerelle.tenant.TenantRegistry;
import fr.passerelle.tenant.Webhook;

/**
 * Where a notice goes (the commune's webhook, if it has one) and its signature: HMAC-SHA256 of the
 * body with the commune's secret, hex, in X-Passerelle-Signature as "sha256=<hex>", so that the
 * commune can tell our calls from anyone's.
 */
public final class Webhooks {

    private final TenantRegistry tenants;

    public Webhooks(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    /** The URL to call for this notice, or null when its commune has no webhook. */
    public String url(String noticeJson) {
        Webhook hook = webhookOf(noticeJson);
        return hook == null ? null : hook.url();
    }

    /** The signature header's value, or null when the commune set no secret. */
    public String signature(String noticeJson) {
        Webhook hook = webhookOf(noticeJson);
        if (hook == null || hook.secret() == null) {
            return null;
        }
        return "sha256=" + hmac(hook.secret(), noticeJson);
    }

    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private Webhook webhookOf(String noticeJson) {
        String commune = Notices.communeOf(noticeJson);
        return commune == null ? null : tenants.commune(commune).map(Commune::webhook).orElse(null);
    }
}
