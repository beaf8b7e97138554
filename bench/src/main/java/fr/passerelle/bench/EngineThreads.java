package fr.passerelle.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An engine's own long-lived threads, warmed up and timed on the same threads, as the gateway's
 * validation judges live: veraPDF (in both Factur-X engines) compiles its rule scripts into
 * classes of their own per thread, so a thread met for the first time runs them interpreted, and
 * fresh threads for every timed run would time that warm-up (on every call of a short run).
 */
final class EngineThreads implements AutoCloseable {

    private final List<ExecutorService> threads = new ArrayList<>();

    EngineThreads(String engine, int count) {
        for (int i = 0; i < count; i++) {
            String name = "bench-" + engine + "-" + i;
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    int count() {
        return threads.size();
    }

    /** Runs the task on thread {@code index} and waits for its result. */
    <T> T on(int index, Callable<T> task) throws InterruptedException, ExecutionException {
        return submit(index, task).get();
    }

    <T> Future<T> submit(int index, Callable<T> task) {
        return threads.get(index).submit(task);
    }

    @Override
    public void close() throws InterruptedException {
        threads.forEach(ExecutorService::shutdownNow);
        for (ExecutorService thread : threads) {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
