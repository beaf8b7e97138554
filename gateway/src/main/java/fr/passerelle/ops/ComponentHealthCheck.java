package fr.passerelle.ops;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness and liveness check over one part of the gateway (broker, database, SFTP server):
 * UP while the probe answers true, DOWN with the probe's error as its reason otherwise.
 */
public final class ComponentHealthCheck extends AbstractHealthCheck {

    private final Supplier<Boolean> probe;

    public ComponentHealthCheck(String id, Supplier<Boolean> probe) {
        super("passerelle", id);
        this.probe = probe;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (Boolean.TRUE.equals(probe.get())) {
                HealthReasons.downIf(builder, List.of());
            } else {
                HealthReasons.downIf(builder, List.of(getId() + " ne fonctionne pas"));
            }
        } catch (RuntimeException e) {
            HealthReasons.downIf(builder, List.of(getId() + " : " + e.getMessage()));
            builder.error(e);
        }
    }
}
