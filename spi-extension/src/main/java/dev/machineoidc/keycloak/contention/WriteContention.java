package dev.machineoidc.keycloak.contention;

import org.keycloak.models.ModelDuplicateException;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failed write lost to a concurrent transaction, told by the exception's causes: a unique key the other
 * transaction committed first, a lock it held longer than the database waits, or a rollback the database chose to
 * resolve a conflict. Such a write may succeed, or find the other's result, when tried again in a new transaction.
 */
public final class WriteContention {

    /** Causes followed at most: exceptions wrap each other a few levels deep (JPA, Hibernate, JDBC batch). */
    private static final int MAX_DEPTH = 16;
    /** SQL states of a lost race: unique violation; H2's lock timeout; PostgreSQL's lock not available. */
    private static final Set<String> LOST_RACE = Set.of("23505", "HYT00", "55P03");
    /** SQL state class 40, transaction rollback: serialization failure, deadlock. */
    private static final String ROLLBACK_CLASS = "40";

    private WriteContention() {
    }

    public static boolean isContention(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof ModelDuplicateException) {
                return true;
            }
            if (cause instanceof SQLException sql && isLostRace(sql)) {
                return true;
            }
        }
        return false;
    }

    /** A batch update names the failed statement's state itself or in its next exception. */
    private static boolean isLostRace(SQLException failure) {
        SQLException sql = failure;
        for (int depth = 0; sql != null && depth < MAX_DEPTH; depth++, sql = sql.getNextException()) {
            String state = sql.getSQLState();
            if (state != null && (LOST_RACE.contains(state) || state.startsWith(ROLLBACK_CLASS))) {
                return true;
            }
        }
        return false;
    }
}
