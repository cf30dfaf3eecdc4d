package io.jobpool.sample;

import java.util.List;

import io.jobpool.JobFuture;
import io.jobpool.JobPool;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes jobs over HTTP: {@code POST /jobs} submits one and answers 202 with its id, or 503 when the queue stays
 * full for {@code sample.submit-wait}; {@code GET /jobs} tells what the handlers have run.
 */
@RestController
@RequestMapping("/jobs")
public class JobsController {

	private final JobPool pool;

	private final JobLedger ledger;

	private final SampleProperties properties;

	JobsController(JobPool pool, JobLedger ledger, SampleProperties properties) {
		this.pool = pool;
		this.ledger = ledger;
		this.properties = properties;
	}

	@PostMapping
	ResponseEntity<JobAccepted> submit(@RequestBody JobRequest job) {
		List<String> problems = job.problems();
		if (!problems.isEmpty()) {
			throw new InvalidJobException(job.type(), problems);
		}
		JobFuture future = this.pool.trySubmit(job, this.properties.submitWait());
		return ResponseEntity.accepted().body(new JobAccepted(future.jobId(), job.type()));
	}

	@GetMapping
	JobLedger.Summary ran() {
		return this.ledger.summary();
	}

	/**
	 * The answer to an accepted job.
	 *
	 * @param id the job's id, unique within the pool
	 * @param type the kind of job
	 */
	public record JobAccepted(long id, String type) {
	}

}
