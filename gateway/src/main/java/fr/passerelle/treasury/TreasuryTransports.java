package fr.passerelle.treasury;

/**
 * Opens a session with a treasury endpoint: FTP and explicit FTPS through commons-net, SFTP
 * through the MINA SSHD client. LIMITATION: over SFTP the server's host key is accepted without
 * verification (a warning is logged once); FTPS verifies the server certificate against the
 * JVM's default trust store.
 */
public final class TreasuryTransports {

    private TreasuryTransports() {
    }

    public static TreasuryConnection open(TreasuryEndpoint e) throws TreasuryTransferException {
        return switch (e.protocol()) {
            case FTP, FTPS -> FtpTreasuryConnection.open(e);
            case SFTP -> SftpTreasuryConnection.open(e);
        };
    }
}
