package fr.passerelle.validation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file cannot starve the others: each validation runs on a judge thread of its own, within a
 * CPU budget (the file's own cost, whatever else the machine is doing) and a wall-clock deadline
 * (a judge blocked on something else). Past either, the caller gets a verdict at once and goes on
 * with the next file; the judge is interrupted. A judge that ignores the interruption is reported
 * as a runaway (log, metric, health) — the JVM cannot stop it safely, a restart does.
 */
public final class DeadlineValidator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineValidator.class);
    private static final long CHECK_EVERY_MS = 100;

    /** The work judged: InvoiceValidator::validate. */
    @FunctionalInterface
    public interface Judge {
        ValidationReport validate(Path file, String displayName, InvoiceValidator.Options options);
    }

    private final Judge validator;
    private final long cpuBudgetNanos;
    private final long wallDeadlineNanos;
    private final Duration runawayGrace;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ExecutorService judges;
    private final ScheduledExecutorService watch;
    private final Set<Judgement> runaways = ConcurrentHashMap.newKeySet();
    /** Validations of this pool in memory at once (what bounds the heap they need), taken in the order asked. */
    private final Semaphore seats;

    /** No judge free within the deadline (all taken, or held by runaways): try again later. */
    public static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }

    /** Its judge threads named {@code name-1}, {@code name-2}…: each pool is told apart in a thread dump. */
    public DeadlineValidator(String name, Judge validator, int maxConcurrent, Duration cpuBudget, Duration wallDeadline,
                             Duration runawayGrace) {
        this.validator = validator;
        // fair: with more callers than seats (queue consumers beyond the judges), none is passed over
        this.seats = new Semaphore(maxConcurrent, true);
        this.cpuBudgetNanos = cpuBudget.toNanos();
        this.wallDeadlineNanos = wallDeadline.toNanos();
        this.runawayGrace = runawayGrace;
        AtomicInteger n = new AtomicInteger();
        // one judge per seat, for the life of the gateway (their per-thread parser caches and JIT
        // profile with them): a task starts only with a seat, and a seat comes back only when its
        // judge stops, so a free seat always finds a judge; a runaway keeps its judge and its seat.
        // (A cached pool started a new thread whenever the next file came before the last judge was
        // idle again, and let it die a minute later.)
        this.judges = Executors.newFixedThreadPool(maxConcurrent, r -> daemon(r, name + "-" + n.incrementAndGet()));
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-watch"));
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /**
     * The report: a verdict, a LIMIT-TIME rejection, or a processing failure. Waits for a free judge
     * at most the wall-clock deadline, else BusyException (the queue's consumers).
     */
    public ValidationReport validate(Path file, String displayName, InvoiceValidator.Options options)
            throws InterruptedException {
        return validate(file, displayName, options, Duration.ofNanos(wallDeadlineNanos));
    }

    /** The same, waiting at most seatWait for a free judge (an HTTP caller must not hold its worker long). */
    public ValidationReport validate(Path file, String displayName, InvoiceValidator.Options options,
                                     Duration seatWait) throws InterruptedException {
        if (!seats.tryAcquire(seatWait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new BusyException("no validation could start within " + seatWait.toSeconds()
                    + " s (" + runaways.size() + " runaway)");
        }
        Judgement judgement = new Judgement(displayName);
        Future<ValidationReport> result;
        try {
            // the seat is given back when the judge really stops (a runaway keeps its memory, so its
            // seat), or by stop() when the judgement was cancelled before it began
            result = judges.submit(() -> {
                if (!judgement.begin()) {
                    return null;
                }
                try {
                    return judgement.run(() -> validator.validate(file, displayName, options));
                } finally {
                    seats.release();
                }
            });
        } catch (RuntimeException e) {
            seats.release();
            throw e;
        }
        long started = System.nanoTime();
        while (true) {
            try {
                return result.get(CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // the validator reports its own failures: only an Error it let through lands here
                Throwable cause = e.getCause();
                LOG.error("Validation of {} failed: {}", displayName, cause.toString());
                return ValidationReport.failed(displayName, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } catch (TimeoutException e) {
                if (judgement.cpuNanos() > cpuBudgetNanos) {
                    stop(result, judgement);
                    return overBudget(displayName, judgement);
                }
                if (System.nanoTime() - started > wallDeadlineNanos) {
                    stop(result, judgement);
                    // not the file's fault (a busy machine, a large invoice ahead): tried again later
                    return ValidationReport.failed(displayName, "no verdict within "
                            + Duration.ofNanos(wallDeadlineNanos).toSeconds() + " s (wall clock)").retryable();
                }
            } catch (InterruptedException e) {
                stop(result, judgement);
                throw e;
            }
        }
    }

    /** Judges that did not stop when interrupted (their file names): each one is a thread lost until restart. */
    public List<String> runaways() {
        return runaways.stream().map(j -> j.file).toList();
    }

    @Override
    public void close() {
        judges.shutdownNow();
        watch.shutdownNow();
    }

    private void stop(Future<ValidationReport> result, Judgement judgement) {
        result.cancel(true);
        if (judgement.begin()) {
            seats.release(); // cancelled before it began: its task will never run to give the seat back
            return;
        }
        watch.schedule(() -> {
            if (judgement.running()) {
                runaways.add(judgement);
                LOG.error("Validation of {} did not stop when interrupted: its thread keeps running until the "
                        + "gateway restarts", judgement.file);
            }
        }, runawayGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ValidationReport overBudget(String displayName, Judgement judgement) {
        long millis = Duration.ofNanos(cpuBudgetNanos).toMillis();
        String budget = millis % 1000 == 0 ? (millis / 1000) + " secondes" : millis + " millisecondes";
        LOG.warn("Validation of {} stopped after {} ms of CPU (budget {} ms)", displayName,
                judgement.cpuNanos() / 1_000_000, millis);
        Finding limit = new Finding(Layer.CONTAINER, "LIMIT-TIME", Severity.ERROR, null,
                "La vérification de ce fichier demande plus de " + budget + " de calcul, la limite "
                        + "de la plateforme : il n'a pas été accepté. Un fichier de facture ordinaire se vérifie en "
                        + "moins d'une seconde ; demandez au fournisseur de le produire à nouveau.",
                "CPU budget of " + millis + " ms exceeded");
        return new ValidationReport(displayName, ValidationReport.COMPLETED, null, ValidationReport.REJECTED, null,
                null, null, null, List.of(limit), List.of(Layer.CONTAINER.id()), List.of(),
                (System.nanoTime() - judgement.startedAt.get()) / 1_000_000, false, java.util.Map.of(), List.of());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One validation on its judge thread: where it runs and how much CPU it has used. */
    private final class Judgement {
        final String file;
        final AtomicLong startedAt = new AtomicLong(System.nanoTime());
        volatile Thread thread;
        volatile long cpuAtStart;
        volatile boolean done;
        private final AtomicBoolean begun = new AtomicBoolean();

        Judgement(String file) {
            this.file = file;
        }

        /** True once, for whoever comes first: the judge starting it, or stop() cancelling it before. */
        boolean begin() {
            return begun.compareAndSet(false, true);
        }

        ValidationReport run(java.util.function.Supplier<ValidationReport> work) {
            cpuAtStart = threads.getCurrentThreadCpuTime();
            startedAt.set(System.nanoTime());
            thread = Thread.currentThread();
            try {
                return work.get();
            } finally {
                done = true;
                if (runaways.remove(this)) {
                    LOG.warn("Validation of {} stopped at last", file);
                }
            }
        }

        long cpuNanos() {
            Thread t = thread;
            if (t == null || done) {
                return 0;
            }
            long now = threads.getThreadCpuTime(t.getId());
            return now < 0 ? 0 : now - cpuAtStart;
        }

        boolean running() {
            return thread != null && !done;
        }
    }
}
