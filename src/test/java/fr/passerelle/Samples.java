package fr.passerelle;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared samples (../shared/samples), read where they are: never copied into the project. */
public final class Samples {

    private Samples() {
    }

    public static Path shared() {
        Path dir = Path.of(System.getProperty("passerelle.shared.dir", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("samples"))) {
            throw new IllegalStateException("../shared/samples not found next to the project (looked in " + dir + ")");
        }
        return dir;
    }

    public static Path sample(String relative) {
        return shared().resolve("samples").resolve(relative);
    }
}
