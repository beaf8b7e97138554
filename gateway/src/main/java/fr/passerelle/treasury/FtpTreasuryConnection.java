package fr.passerelle.treasury;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/** FTP or explicit FTPS (commons-net): passive mode, binary, every socket with a timeout. */
final class FtpTreasuryConnection implements TreasuryConnection {

    private final TreasuryEndpoint endpoint;
    private final FTPClient ftp;

    private FtpTreasuryConnection(TreasuryEndpoint endpoint, FTPClient ftp) {
        this.endpoint = endpoint;
        this.ftp = ftp;
    }

    static FtpTreasuryConnection open(TreasuryEndpoint e) throws TreasuryTransferException {
        FTPClient ftp = e.protocol() == TreasuryEndpoint.Protocol.FTPS ? ftps() : new FTPClient();
        int read = (int) Math.min(Integer.MAX_VALUE, e.readTimeout().toMillis());
        ftp.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, e.connectTimeout().toMillis()));
        ftp.setDefaultTimeout(read); // the control socket's timeout from the start: a server that never greets fails
        ftp.setDataTimeout(e.readTimeout());
        FtpTreasuryConnection c = new FtpTreasuryConnection(e, ftp);
        try {
            ftp.connect(e.host(), e.port());
            ftp.setSoTimeout(read);
            c.expectPositive("connection", null);
            if (!ftp.login(e.user(), e.password() == null ? "" : e.password())) {
                throw c.failure("login of " + e.user(), null);
            }
            if (ftp instanceof FTPSClient tls) {
                tls.execPBSZ(0);
                tls.execPROT("P"); // data connections encrypted as well
                c.expectPositive("PROT P", null);
            }
            if (!ftp.setFileType(FTP.BINARY_FILE_TYPE)) {
                throw c.failure("TYPE I", null);
            }
            ftp.enterLocalPassiveMode();
            return c;
        } catch (TreasuryTransferException ex) {
            c.close();
            throw ex;
        } catch (IOException ex) {
            c.close();
            throw TreasuryTransferException.of(e, "connection", describe(ex), ex);
        }
    }

    private static FTPSClient ftps() {
        FTPSClient tls = new FTPSClient("TLS", false);
        // commons-net's default manager only checks dates: verify the chain against the JVM's trust store
        try {
            tls.setTrustManager(TrustManagerUtils.getDefaultTrustManager(null));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException("the JVM default trust store cannot be loaded", ex);
        }
        tls.setEndpointCheckingEnabled(true);
        return tls;
    }

    @Override
    public void announce(String pDest, String pMsg) throws TreasuryTransferException {
        site(SiteCommands.P_DEST + " " + pDest);
        site(SiteCommands.P_APPLI + " " + SiteCommands.GHELPES2);
        site(SiteCommands.P_MSG + " " + pMsg);
    }

    private void site(String command) throws TreasuryTransferException {
        String step = "SITE " + command;
        try {
            if (!ftp.sendSiteCommand(command)) {
                throw failure(step, null);
            }
        } catch (IOException ex) {
            throw failure(step, ex);
        }
    }

    @Override
    public void upload(String remoteName, InputStream content) throws TreasuryTransferException {
        String step = "upload of " + remoteName;
        try {
            if (!ftp.storeFile(endpoint.uploadPath(remoteName), content)) {
                throw failure(step, null);
            }
        } catch (IOException ex) {
            throw failure(step, ex);
        }
    }

    @Override
    public boolean exists(String remoteName) throws TreasuryTransferException {
        String step = "listing of " + endpoint.uploadDir();
        try {
            String[] names = ftp.listNames(endpoint.uploadDir().isEmpty() ? "." : endpoint.uploadDir());
            if (names == null) {
                if (FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
                    return false;
                }
                throw failure(step, null);
            }
            // servers answer bare names or paths: compare the last segment
            return Arrays.stream(names).map(n -> n.substring(n.lastIndexOf('/') + 1)).anyMatch(remoteName::equals);
        } catch (IOException ex) {
            throw failure(step, ex);
        }
    }

    @Override
    public void rename(String from, String to) throws TreasuryTransferException {
        String step = "rename of " + from + " to " + to;
        try {
            if (ftp.rename(endpoint.uploadPath(from), endpoint.uploadPath(to))) {
                return;
            }
            // many FTP servers refuse RNTO onto an existing file: replace it (not atomic over FTP)
            if (exists(from) && exists(to)) {
                String refused = reply();
                if (!ftp.deleteFile(endpoint.uploadPath(to))
                        || !ftp.rename(endpoint.uploadPath(from), endpoint.uploadPath(to))) {
                    throw TreasuryTransferException.of(endpoint, step, reply() + " (first attempt: " + refused + ")", null);
                }
                return;
            }
            throw failure(step, null);
        } catch (IOException ex) {
            throw failure(step, ex);
        }
    }

    @Override
    public void delete(String remoteName) throws TreasuryTransferException {
        String step = "delete of " + remoteName;
        try {
            if (!ftp.deleteFile(endpoint.uploadPath(remoteName))) {
                throw failure(step, null);
            }
        } catch (IOException ex) {
            throw failure(step, ex);
        }
    }

    @Override
    public void close() {
        if (!ftp.isConnected()) {
            return;
        }
        try {
            ftp.logout();
        } catch (IOException ignored) {
            // the session is dropped below anyway
        }
        try {
            ftp.disconnect();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private void expectPositive(String step, IOException cause) throws TreasuryTransferException {
        if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
            throw failure(step, cause);
        }
    }

    private TreasuryTransferException failure(String step, IOException cause) {
        String detail = cause != null ? describe(cause) : reply();
        return TreasuryTransferException.of(endpoint, step, detail, cause);
    }

    private String reply() {
        String r = ftp.getReplyString();
        return r == null || r.isBlank() ? "no reply" : r.trim();
    }

    static String describe(Throwable ex) {
        String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
