package fr.passerelle.settings;

/**
 * A configuration value that cannot be read as what its setting expects. The message is meant for
 * the operator as it is: the key, the value, where it came from and what was expected, e.g.
 * {@code passerelle.sftp.port=abc (environment PASSERELLE_SFTP_PORT): not a whole number}.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String key;

    InvalidSettingException(String key, String value, String origin, String expected, Throwable cause) {
        super(key + "=" + value + (origin == null ? "" : " (" + origin + ")") + ": " + expected, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
