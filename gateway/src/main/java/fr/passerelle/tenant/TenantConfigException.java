package fr.passerelle.tenant;

/** Bad commune configuration: start-up stops with a message naming the file and the line. */
public class TenantConfigException extends RuntimeException {
    public TenantConfigException(String message) {
        super(message);
    }
}
