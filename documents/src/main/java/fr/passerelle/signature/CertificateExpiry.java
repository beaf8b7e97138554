package fr.passerelle.signature;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * How long a signing certificate has left: ordonnateurs' certificates expire and an expired one
 * gets every flow refused, so operators are warned ahead (e.g. 30 days) rather than told by Hélios.
 */
public final class CertificateExpiry {

    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy")
            .withZone(ZoneId.of("Europe/Paris"));

    private static final Map<String, String> EMAIL = Map.of("1.2.840.113549.1.9.1", "EMAILADDRESS");

    private CertificateExpiry() {
    }

    /** Whole days from now to the end of validity; negative once expired (0 on its last day). */
    public static long daysLeft(X509Certificate certificate, Instant now) {
        return Math.floorDiv(Duration.between(now, certificate.getNotAfter().toInstant()).toSeconds(), 86_400L);
    }

    /** True when the certificate expires within the given time from now (or already has). */
    public static boolean expiringWithin(X509Certificate certificate, Duration within, Instant now) {
        return !certificate.getNotAfter().toInstant().isAfter(now.plus(within));
    }

    /** True when the certificate is within its validity window at the given time. */
    public static boolean validAt(X509Certificate certificate, Instant at) {
        return !at.isBefore(certificate.getNotBefore().toInstant()) && !at.isAfter(certificate.getNotAfter().toInstant());
    }

    /** The CN of the subject, for messages; the whole subject when it has none. */
    public static String commonName(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // fall through: the whole subject says who it is
        }
        return subject;
    }

    /** A distinguished name as RFC 2253, with the e-mail attribute by name rather than as hex. */
    public static String name(X500Principal principal) {
        // the same few certificates sign every flow of a commune: their names are formatted once
        String known = NAMES.get(principal);
        if (known == null) {
            known = principal.getName(X500Principal.RFC2253, EMAIL);
            if (NAMES.size() >= 1024) {
                NAMES.clear();
            }
            NAMES.put(principal, known);
        }
        return known;
    }

    private static final java.util.Map<X500Principal, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A date as a French reader writes it (dd/MM/yyyy, Paris time). */
    public static String frenchDate(Instant instant) {
        return FRENCH_DATE.format(instant);
    }
}
