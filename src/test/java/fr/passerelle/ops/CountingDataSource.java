package fr.passerelle.ops;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that counts what the code using it asks of the database: statements, round trips
 * (a statement executed alone is one, a JDBC batch is one, a commit or rollback that has something
 * to end is one) and commits of transactions that wrote (each one a WAL flush with
 * synchronous_commit on; a write in auto-commit is one too, inside its statement's round trip).
 * pgjdbc sends nothing for setAutoCommit(false) nor for a commit with no transaction open, so
 * neither is counted. What the pool does by itself (validation queries) is not seen.
 */
final class CountingDataSource implements DataSource {

    final LongAdder statements = new LongAdder();
    final LongAdder roundTrips = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder rollbacks = new LongAdder();

    private final DataSource delegate;

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The counters now: statements, round trips, commits, rollbacks. */
    long[] snapshot() {
        return new long[] {statements.sum(), roundTrips.sum(), commits.sum(), rollbacks.sum()};
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(delegate.getConnection(user, password));
    }

    private Connection wrap(Connection c) throws SQLException {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Tracked(c));
    }

    static boolean writes(String sql) {
        String s = sql == null ? "" : sql.stripLeading().toUpperCase(Locale.ROOT);
        boolean reads = s.startsWith("SELECT") || s.startsWith("SHOW")
                || s.startsWith("WITH") && !s.contains("INSERT") && !s.contains("UPDATE") && !s.contains("DELETE");
        return !reads;
    }

    /** One connection: whether a transaction is open (and wrote) since the last commit or rollback. */
    private final class Tracked implements InvocationHandler {
        private final Connection connection;
        private boolean autoCommit;
        private boolean open;
        private boolean wrote;

        Tracked(Connection connection) throws SQLException {
            this.connection = connection;
            this.autoCommit = connection.getAutoCommit();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> end(true);
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        end(false);
                    }
                }
                case "setAutoCommit" -> {
                    boolean on = (Boolean) args[0];
                    if (on && !autoCommit) {
                        end(true); // the driver commits what is open
                    }
                    autoCommit = on;
                }
                case "close" -> {
                    if (open && !autoCommit) {
                        end(false); // the pool rolls back what was left open
                    }
                }
                default -> {
                }
            }
            Object result = call(connection, method, args);
            if (result instanceof Statement s) {
                String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                Class<?> type = s instanceof CallableStatement ? CallableStatement.class
                        : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                        new Executed(this, s, sql));
            }
            return result;
        }

        private void end(boolean commit) {
            if (open) {
                roundTrips.increment();
                if (commit && wrote) {
                    commits.increment();
                } else if (!commit) {
                    rollbacks.increment();
                }
            }
            open = false;
            wrote = false;
        }

        void executed(int count, boolean write) {
            statements.add(count);
            roundTrips.increment();
            if (autoCommit) {
                if (write) {
                    commits.increment();
                }
            } else {
                open = true;
                wrote |= write;
            }
        }
    }

    /** One statement: each execution, or batch, is a round trip. */
    private static final class Executed implements InvocationHandler {
        private final Tracked connection;
        private final Statement statement;
        private final String sql;
        private int batched;

        Executed(Tracked connection, Statement statement, String sql) {
            this.connection = connection;
            this.statement = statement;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            String text = args != null && args.length > 0 && args[0] instanceof String q ? q : sql;
            // counted before the call: a statement that fails made its round trip too
            switch (name) {
                case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" ->
                        connection.executed(1, writes(text));
                case "addBatch" -> batched++;
                case "clearBatch" -> batched = 0;
                case "executeBatch", "executeLargeBatch" -> {
                    connection.executed(batched, writes(sql));
                    batched = 0;
                }
                default -> {
                }
            }
            return call(statement, method, args);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
