package fr.passerelle.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Free space of the data folder (originals, broker journal, H2 database, outbox): DOWN below
 * {@code passerelle.health.min-free-disk}, with the free space in its reason. A readiness check
 * only: a node short of disk must stop taking files, but a restart would not free any.
 */
public final class DiskSpaceHealthCheck extends AbstractHealthCheck {

    private final Path dataDir;
    private final long minFree;
    private final ToLongFunction<Path> freeSpace;

    public DiskSpaceHealthCheck(Path dataDir, long minFree) {
        this(dataDir, minFree, DiskSpaceHealthCheck::usableSpace);
    }

    DiskSpaceHealthCheck(Path dataDir, long minFree, ToLongFunction<Path> freeSpace) {
        super("passerelle", "disk-space");
        this.dataDir = dataDir;
        this.minFree = minFree;
        this.freeSpace = freeSpace;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long free;
        try {
            free = freeSpace.applyAsLong(dataDir);
        } catch (RuntimeException e) {
            HealthReasons.downIf(builder, List.of("espace libre de " + dataDir + " illisible : " + e.getMessage()));
            return;
        }
        builder.detail("path", dataDir.toAbsolutePath().toString());
        builder.detail("freeBytes", free);
        builder.detail("minFreeBytes", minFree);
        HealthReasons.downIf(builder, free >= minFree ? List.of()
                : List.of("espace disque libre de " + dataDir + " : " + human(free) + " (" + free
                        + " octets), sous le seuil de " + human(minFree) + " (passerelle.health.min-free-disk)"));
    }

    private static long usableSpace(Path dir) {
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return Files.getFileStore(existing == null ? dir : existing).getUsableSpace();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.FRANCE, "%.1f Go", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(java.util.Locale.FRANCE, "%.1f Mo", bytes / (double) (1L << 20));
        }
        return String.format(java.util.Locale.FRANCE, "%.1f Ko", bytes / 1024.0);
    }
}
