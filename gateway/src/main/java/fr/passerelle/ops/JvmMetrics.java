package fr.passerelle.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process meters (memory, GC pauses, threads, classes, CPU, open files, uptime) on the
 * gateway's registry: what says whether a slow gateway lacks heap, CPU or file descriptors.
 * Closing it stops listening to the GC notifications.
 */
public final class JvmMetrics implements AutoCloseable {

    private final JvmGcMetrics gc = new JvmGcMetrics();

    private JvmMetrics() {
    }

    public static JvmMetrics bind(MeterRegistry meters) {
        JvmMetrics jvm = new JvmMetrics();
        new JvmMemoryMetrics().bindTo(meters);
        jvm.gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        return jvm;
    }

    @Override
    public void close() {
        gc.close();
    }
}
