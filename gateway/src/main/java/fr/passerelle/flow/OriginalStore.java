package fr.passerelle.flow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every file that enters is kept as it came, under its SHA-256 ({@code originals/ab/abcdef…}).
 * Content is streamed to a temporary file while it is hashed, then moved into place atomically,
 * so a crash never leaves a half-written original under a real name.
 */
public final class OriginalStore {

    private final Path root;
    private final Path tmp;

    public OriginalStore(Path dataDir) {
        this.root = dataDir.resolve("originals");
        this.tmp = dataDir.resolve("tmp");
        try {
            Files.createDirectories(root);
            Files.createDirectories(tmp);
            removeAbandonedParts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was stored: its hash and size, or that it went over the size limit (then nothing is kept). */
    public record Stored(String sha256, long size, boolean oversize) {
    }

    /** Streams the content into the store; stops reading past maxBytes and keeps nothing then. */
    public Stored store(InputStream content, long maxBytes) throws IOException {
        Path partial = Files.createTempFile(tmp, "in-", ".part");
        try {
            MessageDigest digest = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = content.read(buffer)) > 0) {
                    size += n;
                    if (size > maxBytes) {
                        return new Stored(null, size, true);
                    }
                    out.write(buffer, 0, n);
                }
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    // another intake stored the same bytes meanwhile: theirs is identical
                }
            }
            return new Stored(sha, size, false);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Temporary files a killed process left behind. Only old ones: with shared storage another
     * node may be writing its own right now.
     */
    private void removeAbandonedParts() throws IOException {
        java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        try (var parts = Files.newDirectoryStream(tmp, "in-*.part")) {
            for (Path part : parts) {
                if (Files.getLastModifiedTime(part).compareTo(before) < 0) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    public Path path(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(path(sha256));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
