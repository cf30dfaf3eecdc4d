package io.jobpool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one logger writes through {@link System.Logger}, which without a logging library is
 * {@code java.util.logging}: the logger's level is set for the capture and restored by {@link #close()}, and its
 * lines are kept from the console meanwhile.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final Level previousLevel;

	private final boolean previousUseParentHandlers;

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			LogCapture.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private LogCapture(String name, Level level) {
		this.logger = Logger.getLogger(name);
		this.previousLevel = this.logger.getLevel();
		this.previousUseParentHandlers = this.logger.getUseParentHandlers();
		this.handler.setLevel(Level.ALL);
		this.logger.addHandler(this.handler);
		this.logger.setUseParentHandlers(false);
		this.logger.setLevel(level);
	}

	/**
	 * Capture a logger at a level.
	 * @param name the logger's name
	 * @param level the lowest level written: {@link Level#FINE} is {@code System.Logger}'s DEBUG
	 * @return the capture, to close when done
	 */
	public static LogCapture of(String name, Level level) {
		return new LogCapture(name, level);
	}

	/**
	 * The records of one pool, in the order written.
	 * @param pool the pool's name
	 * @return the records whose message names the pool
	 */
	public List<LogRecord> of(String pool) {
		return this.records.stream().filter((record) -> record.getMessage().startsWith("Pool '" + pool + "'")).toList();
	}

	/**
	 * The records of one pool at one level whose message contains a text.
	 * @param pool the pool's name
	 * @param level the level
	 * @param text the text
	 * @return the records
	 */
	public List<LogRecord> of(String pool, Level level, String text) {
		return of(pool).stream()
			.filter((record) -> record.getLevel().equals(level) && record.getMessage().contains(text))
			.toList();
	}

	@Override
	public void close() {
		this.logger.removeHandler(this.handler);
		this.logger.setUseParentHandlers(this.previousUseParentHandlers);
		this.logger.setLevel(this.previousLevel);
	}

}
