package dev.machineoidc.keycloak.contention;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class WriteContentionTest {

    /** As Keycloak's JPA layer wraps a JDBC failure: ModelException, then Hibernate's, then the driver's. */
    private static RuntimeException wrapped(SQLException sql) {
        return new ModelException("Database operation failed", new RuntimeException("could not execute batch", sql));
    }

    @Test
    void aUniqueKeyTheWinnerCommittedIsContention() {
        assertThat(WriteContention.isContention(new ModelDuplicateException("Duplicate resource error")), is(true));
        assertThat(WriteContention.isContention(wrapped(new SQLException("duplicate key", "23505"))), is(true));
    }

    @Test
    void lockTimeoutsDeadlocksAndSerializationFailuresAreContention() {
        assertThat("H2's lock timeout", WriteContention.isContention(wrapped(new SQLException("Timeout trying to lock table", "HYT00"))), is(true));
        assertThat("PostgreSQL's lock not available", WriteContention.isContention(wrapped(new SQLException("lock", "55P03"))), is(true));
        assertThat("deadlock", WriteContention.isContention(wrapped(new SQLException("deadlock detected", "40P01"))), is(true));
        assertThat("serialization", WriteContention.isContention(wrapped(new SQLException("could not serialize", "40001"))), is(true));
    }

    @Test
    void aBatchUpdateNamesTheFailedStatementInItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0]);
        batch.setNextException(new SQLException("Timeout trying to lock table", "HYT00"));
        assertThat(WriteContention.isContention(wrapped(batch)), is(true));
    }

    @Test
    void otherFailuresAreNot() {
        assertThat("not null", WriteContention.isContention(wrapped(new SQLException("null value", "23502"))), is(false));
        assertThat("foreign key", WriteContention.isContention(wrapped(new SQLException("fk", "23503"))), is(false));
        assertThat("no state", WriteContention.isContention(wrapped(new SQLException("broken"))), is(false));
        assertThat("no SQL at all", WriteContention.isContention(new IllegalStateException("bug")), is(false));
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(WriteContention.isContention(a), is(false));
    }
}
