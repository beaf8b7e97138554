package fr.passerelle.treasury;

import java.io.IOException;

/** A transfer step that failed, naming the endpoint, host:port and the step. */
public class TreasuryTransferException extends IOException {

    public TreasuryTransferException(String message) {
        super(message);
    }

    public TreasuryTransferException(String message, Throwable cause) {
        super(message, cause);
    }

    static TreasuryTransferException of(TreasuryEndpoint e, String step, String detail, Throwable cause) {
        if (cause instanceof TreasuryTransferException already) {
            return already; // thrown inside the same step: keep its message
        }
        return new TreasuryTransferException(step + " to " + e.describe() + " failed: " + detail, cause);
    }
}
