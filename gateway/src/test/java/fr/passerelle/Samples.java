package fr.passerelle;

import java.nio.file.Files;
import java.nio.file.Path;

/** The public sample files kept in the project's samples/ folder (sources in samples/SOURCES.md). */
public final class Samples {

    private Samples() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("passerelle.samples.dir", "samples")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("samples/ not found (looked in " + dir + ")");
        }
        return dir;
    }

    public static Path sample(String relative) {
        return dir().resolve(relative);
    }
}
