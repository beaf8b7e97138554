package fr.passerelle.treasury;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how flows are handed to the treasury's transfer gateway (or a tiers de
 * télétransmission): one account, one upload folder, one folder the returns are picked up from.
 *
 * @param name           a name for messages and logs, e.g. "helios-simulator"
 * @param uploadDir      folder the flows are uploaded to, relative to the account's home (e.g. "depot")
 * @param responseDir    folder acquittements and PES_Retour appear in (e.g. "retour")
 * @param pDest          the server code sent as SITE P_DEST before an FTP/FTPS upload
 * @param connectTimeout connection (and SSH authentication) timeout
 * @param readTimeout    longest wait for any reply or data: a hanging server fails the call
 */
public record TreasuryEndpoint(String name, Protocol protocol, String host, int port, String user, String password,
                               String uploadDir, String responseDir, String pDest, Duration connectTimeout,
                               Duration readTimeout) {

    /** FTPS is explicit TLS (AUTH TLS), verified against the JVM's default trust store. */
    public enum Protocol { SFTP, FTP, FTPS }

    public TreasuryEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        uploadDir = uploadDir == null ? "" : uploadDir;
        responseDir = responseDir == null ? "" : responseDir;
        connectTimeout = positive(connectTimeout, "connectTimeout");
        readTimeout = positive(readTimeout, "readTimeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static Duration positive(Duration d, String what) {
        // no timeout would let a silent server block a sender forever
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be a positive duration");
        }
        return d;
    }

    /** "helios-simulator (localhost:2121)", for messages. */
    public String describe() {
        return name + " (" + host + ":" + port + ")";
    }

    /** The path of a file of the upload folder. */
    public String uploadPath(String fileName) {
        return uploadDir.isEmpty() ? fileName : uploadDir.replaceAll("/+$", "") + "/" + fileName;
    }

    @Override
    public String toString() {
        // never the password in logs
        return "TreasuryEndpoint[" + name + ", " + protocol + " " + user + "@" + host + ":" + port + ", upload "
                + uploadDir + ", responses " + responseDir + "]";
    }
}
