package io.jobpool.sample;

import java.util.List;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;
import io.jobpool.spring.JobPools;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes jobs over HTTP: {@code POST /jobs} submits one to the pool of its kind (e-mails to the default pool, reports
 * to the {@code reports} lane) and answers 202 with its id, or 503 when that pool's queue stays full for
 * {@code sample.submit-wait}; {@code GET /jobs} tells what the handlers have run.
 */
@RestController
@RequestMapping("/jobs")
public class JobsController {

	private final JobPools pools;

	private final JobLedger ledger;

	private final SampleProperties properties;

	JobsController(JobPools pools, JobLedger ledger, SampleProperties properties) {
		this.pools = pools;
		this.ledger = ledger;
		this.properties = properties;
	}

	@PostMapping
	ResponseEntity<JobAccepted> submit(@RequestBody JobRequest job) {
		List<String> problems = job.problems();
		if (!problems.isEmpty()) {
			throw new InvalidJobException(job.type(), problems);
		}
		JobPool pool = this.pools.poolFor(job.getClass());
		JobFuture future = pool.trySubmit(job, this.properties.submitWait());
		return ResponseEntity.accepted().body(new JobAccepted(future.jobId(), job.type(), pool.name()));
	}

	@GetMapping
	JobLedger.Summary ran() {
		return this.ledger.summary();
	}

	/**
	 * The answer to an accepted job.
	 *
	 * @param id the job's id, unique within its pool
	 * @param type the kind of job
	 * @param pool the pool it runs in
	 */
	public record JobAccepted(long id, String type, String pool) {
	}

}
