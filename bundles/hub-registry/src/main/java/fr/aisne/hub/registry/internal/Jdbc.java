package fr.aisne.hub.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** Plain JDBC in one line per statement; errors name the statement's purpose, never its values. */
final class Jdbc {
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;
    /** The connection of the transaction the current thread is in, if any. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs the work in one transaction (one commit, so one log flush, instead of one per statement);
     * nested calls join it. Rolled back if the work throws.
     */
    <T> T inTransaction(java.util.function.Supplier<T> work) {
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
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RegistryStoreException("COMMIT", e);
        }
    }

    /** The transaction's connection, or a new one the caller closes. */
    private Connection connection() throws SQLException {
        Connection tx = current.get();
        return tx != null ? new Unclosable(tx).proxy() : dataSource.getConnection();
    }

    int update(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryStoreException(sql, e);
        }
    }

    <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new RegistryStoreException(sql, e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        List<T> all = query(sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** One statement, many rows: sent to the database in one round trip per call. */
    void batch(String sql, List<Object[]> rows) {
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
            throw new RegistryStoreException(sql, e);
        }
    }

    /** True if the insert happened, false if it hit a unique key. */
    boolean insertIfAbsent(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw new RegistryStoreException(sql, e);
        }
    }

    /** The transaction's connection, whose close() does nothing (the transaction closes it). */
    private record Unclosable(Connection target) {
        Connection proxy() {
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
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
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, args);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, ps.getParameterMetaData().getParameterType(i + 1));
            } else {
                ps.setObject(i + 1, a instanceof Instant t ? Timestamp.from(t) : a);
            }
        }
    }

    /** A registry statement failed; the message says which table operation, without values. */
    static final class RegistryStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegistryStoreException(String sql, SQLException cause) {
            super("registry statement failed [" + sql.split("\\s+WHERE")[0] + "]: " + cause.getSQLState(), cause);
        }
    }
}
