package fr.passerelle.flow;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
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
 * these figures per invoice say how many it can carry (README, "Throughput").
 */
public final class DatabaseTraffic implements QueryExecutionListener, MethodExecutionListener {

    private final LongAdder statements = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder commits = new LongAdder();

    public long statements() {
        return statements.sum();
    }

    public long roundTrips() {
        return roundTrips.sum();
    }

    public long commits() {
        return commits.sum();
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        // counted once done
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        roundTrips.increment();
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
            roundTrips.increment();
            commits.increment();
        } else if (method.equals("rollback")) {
            roundTrips.increment();
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
