package fr.passerelle.ops;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.util.StatusPrinter2;

/**
 * Logback's own status, errors only, on standard error (config/logback.xml): the configuration's mistakes show,
 * not its routine remarks (the appender the format switch leaves out is reported "not referenced", a warning
 * that would otherwise print Logback's whole status at every start).
 */
public final class LogbackErrors implements StatusListener {

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() >= Status.ERROR) {
            StringBuilder line = new StringBuilder();
            new StatusPrinter2().buildStr(line, "", status);
            System.err.print(line);
        }
    }
}
