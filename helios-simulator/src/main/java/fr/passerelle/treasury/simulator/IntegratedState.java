package fr.passerelle.treasury.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What the simulated Hélios has integrated, kept on disk (one value a line, appended and forced)
 * so that a restarted simulator still refuses a NomFic or an IdUnique seen before.
 */
final class IntegratedState {

    private final Path nomFicFile;
    private final Path idUniqueFile;
    private final Set<String> nomFics;
    private final Set<String> idUniques;

    IntegratedState(Path dir) {
        nomFicFile = dir.resolve("nomfic-integres.txt");
        idUniqueFile = dir.resolve("idunique-integres.txt");
        nomFics = load(nomFicFile);
        idUniques = load(idUniqueFile);
    }

    synchronized boolean nomFicIntegrated(String nomFic) {
        return nomFics.contains(nomFic);
    }

    synchronized boolean idUniqueIntegrated(String idUnique) {
        return idUniques.contains(idUnique);
    }

    /** Records an integrated flow; on disk before this returns (the acquittement is written after). */
    synchronized void integrate(String nomFic, Collection<String> acceptedIdUniques) {
        if (nomFic != null && nomFics.add(nomFic)) {
            append(nomFicFile, nomFic);
        }
        for (String id : acceptedIdUniques) {
            if (idUniques.add(id)) {
                append(idUniqueFile, id);
            }
        }
    }

    private static Set<String> load(Path file) {
        try {
            Set<String> values = new HashSet<>();
            if (Files.exists(file)) {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(values::add);
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String value) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((value.replaceAll("[\\r\\n]", " ") + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
