package fr.passerelle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU the whole machine spent (every process: the gateway, and PostgreSQL when it is the
 * database), from Linux's /proc/stat: user, nice, system, irq and softirq time of all cores.
 */
final class MachineCpu {

    /** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every architecture it runs on. */
    private static final int TICKS_PER_SECOND = 100;

    private MachineCpu() {
    }

    /** Busy milliseconds since boot, or -1 where /proc/stat is not there. */
    static long busyMillis() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    // cpu user nice system idle iowait irq softirq steal ...
                    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                            + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                    return busy * 1000 / TICKS_PER_SECOND;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the figure is left out
        }
        return -1;
    }
}
