package fr.passerelle.treasury;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Camel consumer URI that polls an endpoint's response folder: acquittements (names with ACK)
 * and PES_Retour (PES2R…) only, each file taken once across all nodes (the idempotent repository
 * is shared in the database, recorded once the file is handled), deleted from the server once kept
 * and recorded here.
 */
public final class ReturnPolling {

    /** What a return file is called: acquittements contain ACK, PES_Retour start with PES2R. */
    public static final String RETURN_FILES = "(.*ACK.*|PES2R.*)\\.(xml|XML)";

    private ReturnPolling() {
    }

    public static String uri(TreasuryEndpoint e, String idempotentRepository, long pollDelayMs) {
        String scheme = switch (e.protocol()) {
            case SFTP -> "sftp";
            case FTP -> "ftp";
            case FTPS -> "ftps";
        };
        StringBuilder uri = new StringBuilder(scheme).append("://").append(e.host()).append(':').append(e.port())
                .append('/').append(e.responseDir())
                .append("?username=").append(encode(e.user()))
                .append("&password=RAW(").append(e.password()).append(')')
                .append("&include=").append(encode(RETURN_FILES))
                // the key is recorded when the file has been handled, not before: a node killed while taking
                // a file leaves it to the next poll (taking a file twice is harmless, never taking it is not)
                .append("&idempotent=true&idempotentEager=false&idempotentRepository=#").append(idempotentRepository)
                .append("&delete=true&binary=true&delay=").append(pollDelayMs)
                .append("&connectTimeout=").append(e.connectTimeout().toMillis())
                .append("&throwExceptionOnConnectFailed=false&maximumReconnectAttempts=0")
                .append("&autoCreate=false");
        if (e.protocol() == TreasuryEndpoint.Protocol.SFTP) {
            uri.append("&strictHostKeyChecking=no&useUserKnownHostsFile=false&serverAliveInterval=0");
        } else {
            uri.append("&passiveMode=true&soTimeout=").append(e.readTimeout().toMillis())
                    .append("&timeout=").append(e.readTimeout().toMillis());
        }
        return uri.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
