package fr.passerelle.tenant;

/**
 * Where a commune wants to be told of its flows' status changes: an HTTP(S) URL; when a secret is
 * set each call carries an HMAC-SHA256 of its body (header X-Passerelle-Signature).
 */
public record Webhook(String url, String secret) {
}
