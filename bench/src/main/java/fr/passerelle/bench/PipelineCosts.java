package fr.passerelle.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import fr.passerelle.Gateway;
import fr.passerelle.flow.BrokerTraffic;
import fr.passerelle.flow.DatabaseTraffic;
import fr.passerelle.validation.InvoiceValidator;
import fr.passerelle.validation.ValidationArtefacts;
import fr.passerelle.validation.ValidationReport;

/**
 * What each invoice costs the pipeline, for {@code bench treasury}: CPU per stage (from
 * {@link StageCpu}) over the invoices that stage handled, the same validation alone, and the
 * database and broker work per invoice that several nodes would share.
 */
final class PipelineCosts {

    private PipelineCosts() {
    }

    /** Invoices each stage handled since the instant (the denominators of the CPU per stage). */
    static Map<String, Long> handledSince(JdbcTemplate db, OffsetDateTime since) {
        Map<String, Long> handled = new LinkedHashMap<>();
        handled.put("intake", count(db, "SELECT COUNT(*) FROM flow WHERE received_at >= ? AND channel = 'http'", since));
        handled.put("validation", count(db, "SELECT COUNT(*) FROM flow_event WHERE at >= ? "
                + "AND status IN ('VALIDATED', 'REJECTED', 'FAILED')", since));
        handled.put("packing", count(db, "SELECT COUNT(*) FROM pes_pj p JOIN flow_event e ON e.flow_id = p.pes_flow_id "
                + "WHERE e.status = 'PACKED' AND e.at >= ?", since));
        handled.put("signing", count(db, "SELECT COUNT(*) FROM pes_pj p JOIN flow_event e ON e.flow_id = p.pes_flow_id "
                + "WHERE e.status = 'SIGNED' AND e.at >= ?", since));
        long sent = count(db, "SELECT COUNT(*) FROM pes_pj p JOIN transmission t ON t.flow_id = p.pes_flow_id "
                + "WHERE t.sent_at >= ?", since);
        handled.put("delivery", sent);
        handled.put("returns", sent);
        return handled;
    }

    /** Milliseconds of CPU per invoice: each stage over what it handled, the shared parts over what was transmitted. */
    static Map<String, Double> cpuPerInvoice(Map<String, Long> nanosByStage, Map<String, Long> handled, long transmitted) {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : nanosByStage.entrySet()) {
            long n = Math.max(1, handled.getOrDefault(e.getKey(), transmitted));
            ms.put(e.getKey().equals("process") ? "wholeProcess" : e.getKey(), round(e.getValue() / 1e6 / n));
        }
        return ms;
    }

    /**
     * The validation of the same invoice alone: the gateway's validator with its artefacts, warm, on
     * one thread, nothing else running; CPU per invoice in ms.
     */
    static Map<String, Double> alone(Gateway gateway, String invoice, String commune) throws Exception {
        Path file = Files.createTempFile("passerelle-bench-invoice-", ".xml");
        try {
            Files.writeString(file, invoice, StandardCharsets.UTF_8);
            InvoiceValidator validator = new InvoiceValidator(ValidationArtefacts.shared(), 20 << 20, true);
            InvoiceValidator.Options options = new InvoiceValidator.Options(false, gateway.tenants(), commune);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < 200; i++) {
                check(validator.validate(file, "facture.xml", options));
            }
            int runs = 500;
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < runs; i++) {
                check(validator.validate(file, "facture.xml", options));
            }
            return Map.of("validation", round((threads.getCurrentThreadCpuTime() - t0) / 1e6 / runs));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void check(ValidationReport report) {
        if (!report.accepted()) {
            throw new IllegalStateException("The benchmark invoice is not valid: " + report.firstError());
        }
    }

    /** H2 counts every statement it runs from now on (INFORMATION_SCHEMA.QUERY_STATISTICS). */
    static void countStatements(JdbcTemplate db) {
        db.execute("SET QUERY_STATISTICS_MAX_ENTRIES 500");
        db.execute("SET QUERY_STATISTICS TRUE");
    }

    /** The statements H2 ran most often, per invoice, each shortened to its first words. */
    static Map<String, Double> statementsPerInvoice(JdbcTemplate db, long invoices, int top) {
        Map<String, Double> per = new LinkedHashMap<>();
        db.query("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS "
                + "ORDER BY EXECUTION_COUNT DESC LIMIT " + top, rs -> {
                    String sql = rs.getString(1).replaceAll("\\s+", " ");
                    per.merge(sql.length() > 90 ? sql.substring(0, 90) + "…" : sql,
                            round(rs.getLong(2) / (double) Math.max(1, invoices)), Double::sum);
                });
        return per;
    }

    /**
     * H2's own account of its file (INFORMATION_SCHEMA.SETTINGS, {@code info.*}): size, chunks,
     * fill rates (live bytes over all; the chunks' over theirs), bytes written, page cache.
     */
    static Map<String, String> h2Store(JdbcTemplate db) {
        Map<String, String> info = new LinkedHashMap<>();
        db.query("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN "
                + "('info.FILE_SIZE', 'info.FILE_WRITE_BYTES', 'info.CHUNK_COUNT', 'info.FILL_RATE', "
                + "'info.CHUNKS_FILL_RATE', 'info.PAGE_COUNT_LIVE', 'info.CACHE_HIT_RATIO', 'info.CACHE_SIZE', "
                + "'info.CACHE_MAX_SIZE') "
                + "ORDER BY SETTING_NAME", rs -> {
                    info.put(rs.getString(1).substring("info.".length()), rs.getString(2));
                });
        return info;
    }

    /** Database and broker work since the gateway started. */
    record Traffic(long statements, long roundTrips, long commits, long messages, long bytes, long acks) {

        static Traffic of(Gateway gateway) {
            DatabaseTraffic db = gateway.database().traffic();
            BrokerTraffic broker = gateway.broker().traffic();
            return new Traffic(db.statements(), db.roundTrips(), db.commits(), broker.durableMessages(),
                    broker.durableBytes(), broker.acks());
        }

        Traffic minus(Traffic o) {
            return new Traffic(statements - o.statements, roundTrips - o.roundTrips, commits - o.commits,
                    messages - o.messages, bytes - o.bytes, acks - o.acks);
        }

        Map<String, Double> perInvoice(long invoices) {
            double n = Math.max(1, invoices);
            Map<String, Double> per = new LinkedHashMap<>();
            per.put("databaseStatements", round(statements / n));
            per.put("databaseRoundTrips", round(roundTrips / n));
            per.put("databaseCommits", round(commits / n));
            per.put("brokerMessages", round(messages / n));
            per.put("brokerBytes", round(bytes / n));
            per.put("brokerAcks", round(acks / n));
            return per;
        }
    }

    /** Database round trips per invoice, by the stage whose threads made them (as {@link StageCpu} names them). */
    static Map<String, Double> roundTripsByStage(Map<String, Long> before, Map<String, Long> after, long invoices) {
        Map<String, Long> byStage = new LinkedHashMap<>();
        after.forEach((thread, n) -> byStage.merge(StageCpu.stageOf(thread), n - before.getOrDefault(thread, 0L), Long::sum));
        Map<String, Double> per = new LinkedHashMap<>();
        byStage.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> per.put(e.getKey(), round(e.getValue() / (double) Math.max(1, invoices))));
        return per;
    }

    static long count(JdbcTemplate db, String sql, Object... args) {
        Long n = db.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
