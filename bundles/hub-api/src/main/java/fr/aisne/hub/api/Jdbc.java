package fr.aisne.hub.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Plain JDBC in one line per statement, the one way the hub's modules talk to their tables. A transaction is
 * per thread ({@link #inTransaction}); nested calls join it. Errors name the statement's table operation and
 * the SQL state, never a bound value.
 */
public final class Jdbc {
    /** Maps one row. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work inside a transaction that may use the connection directly (batches, streams). */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs the work in one transaction (one commit: one log flush); nested calls join it. Rolled back if it throws. */
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.get();
                c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("COMMIT", e);
        }
    }

    public void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    /** True when the calling thread is inside {@link #inTransaction}. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    /** Gives the work the transaction's connection (or one of its own, autocommit). */
    public <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("connection work", e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    public <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** The first row's value; empty when there is no row, or when the row maps to null (a NULL column). */
    public <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        List<T> all = query(sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(0));
    }

    public long count(String sql, Object... args) {
        return one(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    /** One statement, many rows: one round trip per call. */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** True if the insert happened, false if it hit a unique key. */
    public boolean insertIfAbsent(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw new StoreException(sql, e);
        }
    }

    /** SQL state 23505: a unique or primary key was hit. */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private Connection connection() throws SQLException {
        Connection tx = current.get();
        return tx != null ? unclosable(tx) : dataSource.getConnection();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, args);
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    /** Binds Instants as timestamps, byte arrays as binary, null with its declared type. */
    public static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                int type;
                try {
                    type = ps.getParameterMetaData().getParameterType(i + 1);
                } catch (SQLException unknown) {
                    type = Types.VARCHAR;
                }
                ps.setNull(i + 1, type);
            } else if (a instanceof Instant t) {
                ps.setTimestamp(i + 1, Timestamp.from(t));
            } else if (a instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else if (a instanceof Boolean b) {
                ps.setShort(i + 1, (short) (b ? 1 : 0));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The transaction's connection, whose close() does nothing (the transaction closes it). */
    private static Connection unclosable(Connection target) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Jdbc.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return m.invoke(target, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A statement failed; the message says which table operation and the SQL state, without values. */
    public static final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String sqlState;

        public StoreException(String sql, SQLException cause) {
            super("statement failed [" + sql.split("\\s+(WHERE|VALUES|SET)\\s")[0].strip() + "]: SQL state "
                    + cause.getSQLState(), cause);
            this.sqlState = cause.getSQLState();
        }

        public String sqlState() {
            return sqlState;
        }
    }
}
