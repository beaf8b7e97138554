package fr.passerelle.flow;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on a daemon thread of its own, a fixed delay after each run ends. Closing lets a run
 * under way finish, uninterrupted: an interrupt inside H2's file I/O may close its file.
 */
final class PeriodicTask implements AutoCloseable {

    private final ScheduledExecutorService thread;

    PeriodicTask(String name, Duration delay, Runnable task) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long millis = delay.toMillis();
        thread.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
