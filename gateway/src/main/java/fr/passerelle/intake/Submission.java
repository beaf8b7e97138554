package fr.passerelle.intake;

import java.io.InputStream;

/**
 * A file as a channel hands it to intake. communeId is known for the HTTP API (the key says
 * which commune) and drop folders (one per commune); it is null for supplier SFTP, where the
 * buyer named inside the invoice decides. Chorus Pro knows the commune too (its structure received it).
 */
public record Submission(String channel, String sender, String communeId, String fileName, InputStream content) {

    public static final String HTTP = "http";
    public static final String DROP = "drop";
    public static final String SFTP = "sftp";
    /** Pulled from Chorus Pro for the commune that received it there. */
    public static final String CHORUS_PRO = "chorus-pro";
}
