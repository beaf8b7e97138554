package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.QueryType;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.listener.QueryUtils;

/**
 * What the gateway asks of its database, counted as a shared database sees it: statements,
 * round trips (a statement run alone, a JDBC batch, a commit or rollback: one each) and durable
 * commits (an explicit commit, or a write run in auto-commit). Several nodes share one database:
 * these figures per invoice say how many it can carry (README, "Throughput"). Round trips are
 * also counted by the name of the thread that made them, for the benchmark to tell which stage
 * asks most (thread names are few: those of the gateway's pools).
 */
public final class DatabaseTraffic implements QueryExecutionListener, MethodExecutionListener {

    private final LongAdder statements = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final Map<String, LongAdder> roundTripsByThread = new ConcurrentHashMap<>();

    public long statements() {
        return statements.sum();
    }

    public long roundTrips() {
        return roundTrips.sum();
    }

    public long commits() {
        return commits.sum();
    }

    /** Round trips so far by the name of the thread that made them. */
    public Map<String, Long> roundTripsByThread() {
        Map<String, Long> copy = new HashMap<>();
        roundTripsByThread.forEach((thread, n) -> copy.put(thread, n.sum()));
        return copy;
    }

    private void roundTrip() {
        roundTrips.increment();
        String thread = Thread.currentThread().getName();
        LongAdder byThread = roundTripsByThread.get(thread);
        if (byThread == null) {
            byThread = roundTripsByThread.computeIfAbsent(thread, t -> new LongAdder());
        }
        byThread.increment();
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        // counted once done
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        roundTrip();
        int executed = execInfo.isBatch() && execInfo.getBatchSize() > 0 ? execInfo.getBatchSize() : queryInfoList.size();
        statements.add(executed);
        if (writes(queryInfoList) && autoCommit(execInfo)) {
            commits.increment();
        }
    }

    @Override
    public void beforeMethod(MethodExecutionContext executionContext) {
        // counted once done
    }

    @Override
    public void afterMethod(MethodExecutionContext context) {
        if (!(context.getTarget() instanceof Connection)) {
            return;
        }
        String method = context.getMethod().getName();
        if (method.equals("commit")) {
            roundTrip();
            commits.increment();
        } else if (method.equals("rollback")) {
            roundTrip();
        }
    }

    private static boolean writes(List<QueryInfo> queries) {
        for (QueryInfo q : queries) {
            if (QueryUtils.getQueryType(q.getQuery()) != QueryType.SELECT) {
                return true;
            }
        }
        return false;
    }

    private static boolean autoCommit(ExecutionInfo execInfo) {
        try {
            return execInfo.getStatement().getConnection().getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }
}
