package fr.passerelle.signature;

import org.apache.xml.security.Init;
import org.apache.xml.security.utils.XMLUtils;

/** Santuario, initialised once for the whole JVM with the settings PES signatures need. */
final class Santuario {

    private static volatile boolean compact;
    /** Held: JUL keeps loggers weakly, a level set on a collected one is lost. */
    private static final java.util.logging.Logger REFERENCE_LOG =
            java.util.logging.Logger.getLogger("org.apache.xml.security.signature.Reference");

    private Santuario() {
    }

    /**
     * Base64 without line breaks and no line breaks between signature elements, as in real flows
     * (otherwise they appear as {@code &#13;} after serialisation). Santuario reads the property
     * once, when XMLUtils is loaded: it is set before anything touches Santuario, unless the user
     * already chose a value.
     */
    static synchronized void init() {
        if (Init.isInitialized()) {
            return;
        }
        if (System.getProperty("org.apache.xml.security.ignoreLineBreaks") == null) {
            System.setProperty("org.apache.xml.security.ignoreLineBreaks", "true");
        }
        Init.init();
        // a digest mismatch is logged as a warning on every failed check: our report says it, once
        REFERENCE_LOG.setLevel(java.util.logging.Level.SEVERE);
        compact = XMLUtils.ignoreLineBreaks();
    }

    /** False when someone loaded Santuario before us with line breaks on: still valid, only wordier. */
    static boolean compact() {
        init();
        return compact;
    }
}
