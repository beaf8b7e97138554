package fr.passerelle.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppliers' SFTP server (Apache MINA SSHD): SFTP only, no shell, each supplier confined to
 * its home folder. A file is handed to intake only once its upload is complete (the client
 * closed it), by an atomic move into the spool that the ingest-sftp route reads: a half-written
 * upload is never picked up. Names ending .part/.tmp/.filepart wait for their final rename.
 */
public final class SupplierSftpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SupplierSftpServer.class);
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".part", ".tmp", ".filepart", ".partial");
    /** Folder in each home where the gateway writes reports back to the supplier: never ingested. */
    public static final String REPORTS = "reports";

    private final SshServer sshd;
    private final Path homes;
    private final Path spool;

    public SupplierSftpServer(SupplierAccounts accounts, String host, int port, Path homes, Path spool, Path hostKey) {
        this.homes = homes;
        this.spool = spool;
        try {
            Files.createDirectories(homes);
            Files.createDirectories(spool);
            Files.createDirectories(hostKey.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VirtualFileSystemFactory fs = new VirtualFileSystemFactory(homes.resolve(".nobody"));
        for (String user : accounts.users()) {
            Path home = homes.resolve(user);
            try {
                Files.createDirectories(home.resolve(REPORTS));
                Files.createDirectories(spool.resolve(user));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fs.setUserHomeDir(user, home);
        }
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new UploadListener());
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(host);
        sshd.setPort(port);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        sshd.setPasswordAuthenticator((user, password, session) -> accounts.checkPassword(user, password));
        sshd.setPublickeyAuthenticator((user, key, session) -> accounts.checkKey(user, key));
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setFileSystemFactory(fs);
        sshd.setSubsystemFactories(List.of(sftp));
    }

    public void start() throws IOException {
        sshd.start();
        LOG.info("Supplier SFTP server listening on {}:{}", sshd.getHost(), sshd.getPort());
    }

    public int port() {
        return sshd.getPort();
    }

    public boolean isRunning() {
        return sshd.isStarted() && !sshd.isClosed();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** The real path behind a path of the supplier's virtual file system, refused if outside its home. */
    private Path realPath(ServerSession session, Path virtual) {
        Path home = homes.resolve(session.getUsername()).normalize();
        String relative = virtual.toAbsolutePath().normalize().toString().replaceFirst("^/+", "");
        Path real = home.resolve(relative).normalize();
        if (!real.startsWith(home)) {
            throw new IllegalStateException("path outside the supplier's home: " + virtual);
        }
        return real;
    }

    private void handOver(ServerSession session, Path virtual) throws IOException {
        String name = virtual.getFileName() == null ? "" : virtual.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || TEMPORARY_SUFFIXES.stream().anyMatch(lower::endsWith)) {
            return;
        }
        Path real = realPath(session, virtual);
        Path home = homes.resolve(session.getUsername()).normalize();
        if (real.startsWith(home.resolve(REPORTS)) || !Files.isRegularFile(real)) {
            return;
        }
        Path target = spool.resolve(session.getUsername()).resolve(System.nanoTime() + "-" + name);
        Files.createDirectories(target.getParent());
        Files.move(real, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.debug("Upload {} by {} complete, handed to intake", name, session.getUsername());
    }

    private final class UploadListener implements SftpEventListener {
        @Override
        public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown)
                throws IOException {
            if (thrown == null && localHandle instanceof FileHandle file
                    && file.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                handOver(session, localHandle.getFile());
            }
        }

        @Override
        public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<java.nio.file.CopyOption> opts,
                          Throwable thrown) throws IOException {
            if (thrown == null) {
                handOver(session, dstPath);
            }
        }
    }
}
