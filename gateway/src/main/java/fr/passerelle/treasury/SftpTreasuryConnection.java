package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTP (MINA SSHD client), password authentication. LIMITATION: the server's host key is not
 * verified (any key is accepted, with a warning once per JVM); pinning it needs a known_hosts
 * entry per endpoint, not configured yet.
 */
final class SftpTreasuryConnection implements TreasuryConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SftpTreasuryConnection.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final TreasuryEndpoint endpoint;
    private final SshClient client;
    private ClientSession session;
    private SftpClient sftp;

    private SftpTreasuryConnection(TreasuryEndpoint endpoint, SshClient client) {
        this.endpoint = endpoint;
        this.client = client;
    }

    static SftpTreasuryConnection open(TreasuryEndpoint e) throws TreasuryTransferException {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("SFTP to the treasury: server host keys are NOT verified (any key accepted), first for {}", e);
        }
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        // every wait bounded: a server that stops answering fails the call
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, e.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, e.connectTimeout());
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, e.readTimeout());
        AbstractSftpClient.SFTP_CLIENT_CMD_TIMEOUT.set(client, e.readTimeout());
        // the SFTP client waits for most replies up to the idle timeout (10 min by default)
        CoreModuleProperties.IDLE_TIMEOUT.set(client, e.readTimeout());
        SftpTreasuryConnection c = new SftpTreasuryConnection(e, client);
        String step = "connection";
        try {
            client.start();
            c.session = client.connect(e.user(), e.host(), e.port()).verify(e.connectTimeout()).getSession();
            step = "login of " + e.user();
            c.session.addPasswordIdentity(e.password() == null ? "" : e.password());
            c.session.auth().verify(e.connectTimeout());
            step = "SFTP channel";
            c.sftp = SftpClientFactory.instance().createSftpClient(c.session);
            return c;
        } catch (IOException | RuntimeException ex) {
            c.close();
            throw TreasuryTransferException.of(e, step, FtpTreasuryConnection.describe(ex), ex);
        }
    }

    @Override
    public void announce(String pDest, String pMsg) {
        // SITE parameters are an FTP notion: over SFTP the account routes the flow
    }

    @Override
    public void upload(String remoteName, InputStream content) throws TreasuryTransferException {
        try (OutputStream out = sftp.write(endpoint.uploadPath(remoteName), SftpClient.OpenMode.Write,
                SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
            content.transferTo(out);
        } catch (IOException | RuntimeException ex) {
            throw failure("upload of " + remoteName, ex);
        }
    }

    @Override
    public boolean exists(String remoteName) throws TreasuryTransferException {
        try {
            sftp.stat(endpoint.uploadPath(remoteName));
            return true;
        } catch (SftpException ex) {
            if (ex.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw failure("stat of " + remoteName, ex);
        } catch (IOException | RuntimeException ex) {
            throw failure("stat of " + remoteName, ex);
        }
    }

    @Override
    public void rename(String from, String to) throws TreasuryTransferException {
        try {
            sftp.rename(endpoint.uploadPath(from), endpoint.uploadPath(to), SftpClient.CopyMode.Overwrite);
        } catch (IOException | RuntimeException ex) {
            throw failure("rename of " + from + " to " + to, ex);
        }
    }

    @Override
    public void delete(String remoteName) throws TreasuryTransferException {
        try {
            sftp.remove(endpoint.uploadPath(remoteName));
        } catch (IOException | RuntimeException ex) {
            throw failure("delete of " + remoteName, ex);
        }
    }

    @Override
    public void close() {
        closeQuietly(sftp);
        closeQuietly(session);
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // the client threads end with the JVM at worst
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // a session that cannot be closed cleanly is dropped
        }
    }

    private TreasuryTransferException failure(String step, Exception ex) {
        return TreasuryTransferException.of(endpoint, step, FtpTreasuryConnection.describe(ex), ex);
    }
}
