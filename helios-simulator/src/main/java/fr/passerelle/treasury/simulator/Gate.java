package fr.passerelle.treasury.simulator;

import java.util.function.Supplier;

/**
 * Where the simulator's server threads wait while a misbehaving mode lasts: released as soon as
 * the mode changes or the simulator closes (never a thread left blocked behind a stopped server).
 */
final class Gate {

    private final Supplier<HeliosSimulator.Mode> mode;
    private boolean closed;

    Gate(Supplier<HeliosSimulator.Mode> mode) {
        this.mode = mode;
    }

    /** Blocks while the mode is {@code m}; true when released by a mode change, false when closed. */
    synchronized boolean holdWhile(HeliosSimulator.Mode m) {
        boolean interrupted = false;
        while (!closed && mode.get() == m) {
            try {
                wait(200); // the mode may be set without the lock: look again regularly
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !closed;
    }

    synchronized void changed() {
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
