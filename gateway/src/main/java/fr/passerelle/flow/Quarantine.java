package fr.passerelle.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * data/quarantine/: every refused flow's original, linked (or copied) under "{flow id}_{file name}"
 * so that operations find what was refused without searching the content-addressed store.
 */
public final class Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final OriginalStore originals;
    private final Path folder;

    public Quarantine(OriginalStore originals, Path folder) {
        this.originals = originals;
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void put(Flow flow) {
        if (flow.sha256() == null) {
            return; // nothing was kept (over the size limit)
        }
        Path link = folder.resolve(flow.id() + "_" + flow.fileName());
        try {
            Files.createLink(link, originals.path(flow.sha256()));
        } catch (FileAlreadyExistsException e) {
            // already there
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.copy(originals.path(flow.sha256()), link);
            } catch (FileAlreadyExistsException already) {
                // a concurrent attempt copied it
            } catch (IOException copyFailed) {
                LOG.error("Cannot quarantine flow {}: {}", flow.id(), copyFailed.getMessage());
            }
        }
    }
}
