package io.jobpool.jdbc;

import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.PGStatement;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;

/**
 * A {@link JdbcTemplate} whose statements PostgreSQL plans each time they run, for the table as it is then. A queue
 * table goes from nearly empty to deep and back within seconds; a plan the server cached while it was small (the
 * PostgreSQL driver prepares a statement on the server from its fifth run) reads every row of it with a sequential
 * scan once it is deep, for as long as the connection lives. Planning each time costs a little CPU on the server
 * and keeps every statement on its index. Statements of drivers other than PostgreSQL's run as those drivers do.
 */
final class PlannedPerRunJdbcTemplate extends JdbcTemplate {

	private static final boolean DRIVER_PRESENT = ClassUtils.isPresent("org.postgresql.PGStatement",
			PlannedPerRunJdbcTemplate.class.getClassLoader());

	PlannedPerRunJdbcTemplate(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	protected void applyStatementSettings(Statement statement) throws SQLException {
		super.applyStatementSettings(statement);
		if (DRIVER_PRESENT && statement.isWrapperFor(PGStatement.class)) {
			statement.unwrap(PGStatement.class).setPrepareThreshold(0);
		}
	}

}
