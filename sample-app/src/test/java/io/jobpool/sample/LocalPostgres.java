package io.jobpool.sample;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A throwaway PostgreSQL on port 5432 (or the port given as the first argument) for trying the "jdbc" profile
 * without a database server: {@code mvn -B -q -pl sample-app exec:java@postgres}. Stop it with Ctrl-C; its data
 * goes with it.
 */
public final class LocalPostgres {

	private LocalPostgres() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 5432;
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
			}
			catch (IOException ex) {
				// Exiting anyway; the data directory is temporary.
			}
			stopped.countDown();
		}));
		System.out.println("PostgreSQL is up: jdbc:postgresql://localhost:" + port + "/postgres (user postgres, no "
				+ "password). Ctrl-C stops it.");
		stopped.await();
	}

}
