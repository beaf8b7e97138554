package fr.passerelle.flow;

import java.nio.file.Path;
import java.time.Duration;

import fr.passerelle.settings.Settings;

/**
 * The flow floor's settings, read in one place: the broker ({@code passerelle.broker.*}), the database
 * ({@code passerelle.db.*}) and recovery's timings ({@code passerelle.recovery.*}).
 */
public record FlowOptions(boolean embeddedBroker, String brokerUrl, String tcpAcceptor, String brokerUser,
                          String brokerPassword, int maxDeliveryAttempts, long redeliveryDelayMs,
                          double redeliveryMultiplier, long maxRedeliveryDelayMs, int journalBufferTimeoutNs,
                          String dbUrl, String dbUser, String dbPassword, int dbPoolSize, Duration dbIntakeCommitLinger,
                          Duration dbVerdictCommitLinger,
                          H2FileCompaction.Options h2Compaction,
                          FlowRecovery.Timing recovery) {

    public static FlowOptions from(Settings s) {
        return new FlowOptions(s.getBoolean("passerelle.broker.embedded"), s.get("passerelle.broker.url"),
                s.get("passerelle.broker.tcp-acceptor", ""), s.get("passerelle.broker.user", ""),
                s.get("passerelle.broker.password", ""), s.getInt("passerelle.broker.max-delivery-attempts"),
                s.getLong("passerelle.broker.redelivery-delay-ms"),
                Double.parseDouble(s.get("passerelle.broker.redelivery-multiplier")),
                s.getLong("passerelle.broker.max-redelivery-delay-ms"),
                s.getInt("passerelle.broker.journal-buffer-timeout-ns"),
                s.get("passerelle.db.url", ""), s.get("passerelle.db.user", ""), s.get("passerelle.db.password", ""),
                s.getInt("passerelle.db.pool-size"), s.getDuration("passerelle.db.commit-linger"),
                s.getDuration("passerelle.db.verdict-commit-linger"),
                new H2FileCompaction.Options(s.getDuration("passerelle.db.h2-compaction-period"),
                        s.getInt("passerelle.db.h2-compaction-below-fill-rate"),
                        s.getInt("passerelle.db.h2-compaction-write-bytes")),
                new FlowRecovery.Timing(s.getDuration("passerelle.recovery.grace"),
                        s.getDuration("passerelle.recovery.rewake-after"), s.getDuration("passerelle.recovery.stalled-after")));
    }

    /** The embedded broker's options, its journal under {@code data/broker}, the treasury queues' own back-off. */
    public EmbeddedBroker.Options embeddedBroker(Path data, EmbeddedBroker.Redelivery treasury) {
        return new EmbeddedBroker.Options(data.resolve("broker"), brokerUrl, tcpAcceptor, maxDeliveryAttempts,
                redeliveryDelayMs, redeliveryMultiplier, maxRedeliveryDelayMs, journalBufferTimeoutNs, treasury);
    }

    /** The JDBC URL: {@code passerelle.db.url}, else the embedded H2 under the data folder. */
    public String jdbcUrl(Path data) {
        return dbUrl.isEmpty() ? Database.h2Url(data) : dbUrl;
    }

    /** The broker's login, null when none is configured (the embedded broker needs none). */
    public String brokerUserOrNull() {
        return brokerUser.isEmpty() ? null : brokerUser;
    }

    public String brokerPasswordOrNull() {
        return brokerPassword.isEmpty() ? null : brokerPassword;
    }

    @Override
    public String toString() {
        // never the passwords in a log line
        return "FlowOptions[broker=" + brokerUrl + ", embedded=" + embeddedBroker + ", db=" + dbUrl + "]";
    }
}
