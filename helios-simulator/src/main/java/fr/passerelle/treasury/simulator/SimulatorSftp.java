package fr.passerelle.treasury.simulator;

import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The simulator's SFTP side (MINA SSHD, as {@code SupplierSftpServer}): password authentication,
 * SFTP only, the user confined to the simulator's root; a flow is delivered when a file it wrote
 * is closed, or by a rename, and the misbehaving modes hold the SFTP requests.
 */
final class SimulatorSftp {

    private static final AttributeRepository.AttributeKey<Boolean> COUNTED = new AttributeRepository.AttributeKey<>();

    private final HeliosSimulator sim;
    private final SshServer sshd;
    private final Path home;

    SimulatorSftp(HeliosSimulator sim, String host, int port, String user, String password, Path home, Path hostKey) {
        this.sim = sim;
        this.home = home.toAbsolutePath().normalize();
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new Hooks());
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(host);
        sshd.setPort(port);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        sshd.setPasswordAuthenticator((u, p, session) -> {
            if (sim.mode() == HeliosSimulator.Mode.REFUSE_CONNECTIONS) {
                if (session.setAttribute(COUNTED, Boolean.TRUE) == null) {
                    sim.refusedConnection(); // once per connection, whatever the client retries
                }
                return false;
            }
            return user.equals(u) && password.equals(p);
        });
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator(null);
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(this.home));
        sshd.setSubsystemFactories(List.of(sftp));
    }

    void start() throws IOException {
        sshd.start();
    }

    int port() {
        return sshd.getPort();
    }

    void stop() throws IOException {
        sshd.stop(true);
    }

    /** The real path behind a path of the user's virtual file system. */
    private Path real(Path virtual) {
        String relative = virtual.toAbsolutePath().normalize().toString().replaceFirst("^/+", "");
        return home.resolve(relative).normalize();
    }

    private final class Hooks implements SftpEventListener {

        @Override
        public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
            if (localHandle instanceof FileHandle f && f.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                hangThenFail(HeliosSimulator.Mode.HANG);
            }
        }

        @Override
        public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                            int dataOffset, int dataLen) throws IOException {
            hangThenFail(HeliosSimulator.Mode.HANG);
        }

        @Override
        public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
            if (thrown == null && localHandle instanceof FileHandle f
                    && f.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                sim.delivered(real(localHandle.getFile()), Map.of(), false);
            }
        }

        @Override
        public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
                throws IOException {
            hangThenFail(HeliosSimulator.Mode.HANG_BEFORE_RENAME);
        }

        @Override
        public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts,
                          Throwable thrown) {
            if (thrown == null) {
                sim.delivered(real(dstPath), Map.of(), false);
                // the rename is done and recorded: the client waits for a reply that comes only when the mode ends
                sim.gate().holdWhile(HeliosSimulator.Mode.HANG_AFTER_RENAME);
            }
        }

        private void hangThenFail(HeliosSimulator.Mode mode) throws IOException {
            if (sim.mode() == mode) {
                sim.gate().holdWhile(mode);
                throw new IOException("Transfert interrompu par HELIOS");
            }
        }
    }
}
