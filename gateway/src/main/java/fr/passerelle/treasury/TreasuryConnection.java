package fr.passerelle.treasury;

import java.io.InputStream;

/**
 * One open session with the treasury's transfer gateway. Names are file names in the endpoint's
 * upload folder. Every failure is a {@link TreasuryTransferException}; no call blocks longer than
 * the endpoint's read timeout. Not for concurrent use.
 */
public interface TreasuryConnection extends AutoCloseable {

    /**
     * FTP/FTPS: SITE P_DEST, SITE P_APPLI GHELPES2, SITE P_MSG, each needing a positive reply, to
     * send before an upload (the gateway routes the next file by them). SFTP: nothing to do.
     */
    void announce(String pDest, String pMsg) throws TreasuryTransferException;

    /** Uploads into the upload folder (binary), replacing a file of that name. The stream is read, not closed. */
    void upload(String remoteName, InputStream content) throws TreasuryTransferException;

    boolean exists(String remoteName) throws TreasuryTransferException;

    /** Renames within the upload folder, replacing {@code to} if it exists. */
    void rename(String from, String to) throws TreasuryTransferException;

    void delete(String remoteName) throws TreasuryTransferException;

    /** Ends the session; never throws (a session that cannot be closed cleanly is dropped). */
    @Override
    void close();
}
