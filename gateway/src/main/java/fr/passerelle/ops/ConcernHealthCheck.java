package fr.passerelle.ops;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Something an operator must look at, that a restart of the container would not cure by itself
 * (a drop folder that belongs to no commune, a validation that would not stop): DEGRADED with the
 * concerns in French, one line each in the {@code reason} detail, while Camel's own state stays UP
 * for the orchestrator, like the other DEGRADED checks.
 */
public final class ConcernHealthCheck extends AbstractHealthCheck {

    private final Supplier<List<String>> concerns;

    public ConcernHealthCheck(String id, Supplier<List<String>> concerns) {
        super("passerelle", id);
        this.concerns = concerns;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        HealthReasons.degradedIf(builder, concerns.get());
    }
}
