package fr.passerelle.intake;

import java.io.InputStream;

import org.apache.camel.Exchange;

import fr.passerelle.tenant.TenantRegistry;

/**
 * Turns a file picked up by the drop-folder or SFTP-spool routes into a submission. Both folders
 * hold one sub-folder per owner: the commune id for drop folders, the supplier's SFTP user for
 * the spool.
 */
public final class FileIntake {

    private final TenantRegistry tenants;

    public FileIntake(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    /** data/drop/{commune}/{file}: written there by the commune's accounting software. */
    public Submission fromDrop(Exchange exchange) {
        String owner = owner(exchange);
        if (tenants.commune(owner).isEmpty()) {
            throw new IntakeFolders.NoOwnerException("Drop folder '" + owner + "' is not a commune id of tenants.yaml");
        }
        return new Submission(Submission.DROP, "drop:" + owner, owner, name(exchange), body(exchange));
    }

    /** data/spool/sftp/{user}/{nanos}-{file}: a complete upload of that supplier. */
    public Submission fromSftp(Exchange exchange) {
        String spooled = name(exchange);
        String original = spooled.substring(spooled.indexOf('-') + 1);
        return new Submission(Submission.SFTP, "sftp:" + owner(exchange), null, original, body(exchange));
    }

    private static String owner(Exchange exchange) {
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class).replace('\\', '/');
        int slash = relative.indexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    private static String name(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }

    private static InputStream body(Exchange exchange) {
        return exchange.getMessage().getBody(InputStream.class);
    }
}
