/*
 * The job pools' dashboard. Plain JavaScript, no library, nothing loaded from outside the application.
 *
 * Every sample interval it reads, relative to the actuator's base path:
 *   jobpool                     each pool's state, configuration, live figures and job counts;
 *   jobpooldashboard/history    the samples the charts draw, only those after the last one it has;
 * and every few seconds, for a pool that keeps dead jobs, jobpool/{name}/dead (payloads shown as that endpoint's
 * rule says). Requeue buttons post to jobpool/{name}/dead[/{id}], so writes are granted or refused exactly as they
 * are for the jobpool endpoint.
 */
'use strict';

(function () {
	const DEAD_JOBS_SHOWN = 20;
	const DEAD_JOBS_REFRESH_MILLIS = 5000;
	const TEXT_SHOWN = 160;

	const body = document.body;
	const writes = body.dataset.writes === 'true';
	const page = location.pathname.replace(/\/+$/, '');
	const selfPath = body.dataset.self;
	const actuator = page.endsWith('/' + selfPath) ? page.slice(0, page.length - selfPath.length) : page.replace(/[^/]*$/, '');
	const jobpoolUrl = body.dataset.jobpool ? actuator + body.dataset.jobpool : null;
	const historyUrl = page + '/history';

	const pools = new Map();
	const poolsElement = document.getElementById('pools');
	const statusElement = document.getElementById('status');
	const noticeElement = document.getElementById('notice');
	let interval = 1000;
	let historySize = 300;
	let lastSample = 0;

	// Building and formatting

	function el(tag, attributes, ...children) {
		const element = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			if (name === 'class') {
				element.className = value;
			}
			else if (value !== null && value !== undefined && value !== false) {
				element.setAttribute(name, value === true ? '' : value);
			}
		}
		for (const child of children) {
			if (child !== null && child !== undefined) {
				element.append(child);
			}
		}
		return element;
	}

	function number(value) {
		return (value === null || value === undefined) ? '—' : value.toLocaleString('en');
	}

	function rate(value) {
		return (value === null || value === undefined) ? '—' : value.toLocaleString('en', { maximumFractionDigits: 1 });
	}

	function duration(nanos) {
		if (nanos === null || nanos === undefined) {
			return '—';
		}
		if (nanos < 1e3) {
			return '< 1 µs';
		}
		const units = [[6e10, 'min'], [1e9, 's'], [1e6, 'ms'], [1e3, 'µs']];
		const [size, unit] = units.find(([size]) => nanos >= size);
		const value = nanos / size;
		return value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 }) + ' ' + unit;
	}

	function span(seconds) {
		if (seconds < 60) {
			return seconds + ' s';
		}
		if (seconds < 3600) {
			return Math.round(seconds / 60) + ' min';
		}
		if (seconds < 86400) {
			return Math.round(seconds / 3600) + ' h';
		}
		return Math.round(seconds / 86400) + ' d';
	}

	function ago(instant) {
		return span(Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000))) + ' ago';
	}

	function when(instant) {
		if (!instant) {
			return '—';
		}
		const seconds = Math.round((Date.parse(instant) - Date.now()) / 1000);
		return seconds > 0 ? 'in ' + span(seconds) : ago(instant);
	}

	function shortened(text) {
		if (text.length <= TEXT_SHOWN) {
			return el('span', {}, text);
		}
		return el('details', {}, el('summary', {}, text.slice(0, TEXT_SHOWN) + '…'), el('pre', {}, text));
	}

	function cssColor(name) {
		return getComputedStyle(body).getPropertyValue(name).trim() || '#888';
	}

	// Talking to the actuator

	async function getJson(url) {
		const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
		if (!response.ok) {
			throw new Error(url.replace(actuator, '') + ' answered HTTP ' + response.status);
		}
		return response.json();
	}

	function csrfHeaders() {
		const cookie = document.cookie.split('; ').find((entry) => entry.startsWith('XSRF-TOKEN='));
		return cookie ? { 'X-XSRF-TOKEN': decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) } : {};
	}

	function refusal(status) {
		if (status === 404 || status === 405) {
			return 'the jobpool endpoint takes no writes. Grant them with management.endpoint.jobpool.access=unrestricted.';
		}
		if (status === 401 || status === 403) {
			return 'you are not allowed to change the pools.';
		}
		return 'the application could not do it.';
	}

	function notice(text, kind) {
		noticeElement.textContent = text;
		noticeElement.className = 'banner notice ' + kind;
		noticeElement.hidden = false;
	}

	async function requeue(pool, id, button) {
		button.disabled = true;
		const what = (id === null) ? 'every dead job of ' + pool.name : 'dead job ' + id;
		const url = jobpoolUrl + '/' + encodeURIComponent(pool.name) + '/dead' + (id === null ? '' : '/' + id);
		try {
			const response = await fetch(url, { method: 'POST', headers: csrfHeaders(), credentials: 'same-origin' });
			if (response.ok && response.status !== 204) {
				const requeued = (await response.json()).requeued;
				notice((id === null) ? 'Requeued ' + requeued + ' dead jobs of ' + pool.name + '.'
					: (requeued === 1) ? 'Requeued dead job ' + id + ' of ' + pool.name + '.'
						: 'Dead job ' + id + ' of ' + pool.name + ' was no longer dead.', 'done');
			}
			else {
				notice('Could not requeue ' + what + ' (HTTP ' + response.status + '): ' + refusal(response.status), 'refused');
			}
		}
		catch (error) {
			notice('Could not requeue ' + what + ': ' + error.message, 'refused');
		}
		finally {
			button.disabled = !writes;
			pool.deadJobsReadAt = 0;
		}
		await pool.readDeadJobs(Date.now()).catch(() => {});
	}

	// A chart of the last minutes, drawn on a canvas

	class Chart {
		constructor(title, lines) {
			this.lines = lines;
			this.canvas = el('canvas', { 'data-points': '0' });
			this.legend = el('div', { class: 'legend' });
			this.values = lines.map((line) => {
				const value = el('b', {}, '—');
				this.legend.append(el('span', { class: 'key' }, el('i', { class: line.color.slice(2) }), line.label + ' ', value));
				return value;
			});
			this.caption = el('figcaption', {}, title);
			this.element = el('figure', { class: 'chart' }, this.caption, this.canvas, this.legend);
		}

		draw(series) {
			const canvas = this.canvas;
			const ratio = window.devicePixelRatio || 1;
			const width = canvas.clientWidth;
			const height = canvas.clientHeight;
			if (width === 0 || height === 0) {
				return;
			}
			if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
				canvas.width = Math.round(width * ratio);
				canvas.height = Math.round(height * ratio);
			}
			const context = canvas.getContext('2d');
			context.setTransform(ratio, 0, 0, ratio, 0, 0);
			context.clearRect(0, 0, width, height);
			const left = 34;
			const bottom = height - 16;
			const end = series.time.length ? series.time[series.time.length - 1] : Date.now();
			const span = historySize * interval;
			const start = end - span;
			let max = 1;
			for (const line of this.lines) {
				for (const value of series[line.key]) {
					max = Math.max(max, value);
				}
			}
			max = niceCeiling(max);
			const x = (time) => left + (width - left - 4) * (time - start) / span;
			const y = (value) => bottom - (bottom - 6) * value / max;
			context.font = '10px system-ui, sans-serif';
			context.fillStyle = cssColor('--muted');
			context.strokeStyle = cssColor('--grid');
			context.lineWidth = 1;
			context.textAlign = 'right';
			context.textBaseline = 'middle';
			for (const value of [0, max / 2, max]) {
				context.beginPath();
				context.moveTo(left, Math.round(y(value)) + 0.5);
				context.lineTo(width - 4, Math.round(y(value)) + 0.5);
				context.stroke();
				context.fillText(value.toLocaleString('en', { maximumFractionDigits: 1 }), left - 4, y(value));
			}
			context.textBaseline = 'alphabetic';
			const minutes = span / 60000;
			context.textAlign = 'left';
			context.fillText('−' + (minutes >= 1 ? rate(minutes) + ' min' : rate(span / 1000) + ' s'), left, height - 3);
			context.textAlign = 'right';
			context.fillText('now', width - 4, height - 3);
			for (const line of this.lines) {
				const values = series[line.key];
				context.strokeStyle = cssColor(line.color);
				context.lineWidth = 1.5;
				context.setLineDash(line.dashed ? [4, 3] : []);
				context.beginPath();
				values.forEach((value, i) => {
					const point = [x(series.time[i]), y(value)];
					if (i === 0) {
						context.moveTo(...point);
					}
					else {
						context.lineTo(...point);
					}
				});
				context.stroke();
			}
			context.setLineDash([]);
			this.lines.forEach((line, i) => {
				const values = series[line.key];
				this.values[i].textContent = values.length ? rate(values[values.length - 1]) : '—';
			});
			canvas.dataset.points = String(series.time.length);
		}
	}

	function niceCeiling(value) {
		const power = Math.pow(10, Math.floor(Math.log10(value)));
		const step = [1, 2, 2.5, 5, 10].find((step) => step * power >= value);
		return step * power;
	}

	// One pool: a card with its figures, charts, job times and dead jobs

	const COLUMNS = ['time', 'queueDepth', 'activeWorkers', 'workers', 'dispatchers', 'retrying', 'succeeded',
		'failed', 'rejected'];

	class Pool {
		constructor(name) {
			this.name = name;
			this.series = Object.fromEntries(COLUMNS.map((column) => [column, []]));
			this.figures = {};
			this.deadJobsReadAt = 0;
			this.deadJobsShown = null;
			this.durable = false;
			this.element = el('section', { class: 'pool', 'data-pool': name });
			this.panels = [this.headerPanel(), this.figuresPanel(), this.chartsPanel(), this.timesPanel(),
				this.laterPanel(), this.deadJobsPanel()];
			this.element.append(...this.panels);
			poolsElement.append(this.element);
		}

		figure(key, label, unit) {
			const value = el('span', { class: 'value', 'data-figure': key }, '—');
			this.figures[key] = value;
			return el('div', { class: 'figure' }, el('span', { class: 'label' }, label), value,
				unit ? el('span', { class: 'unit' }, unit) : null);
		}

		headerPanel() {
			this.state = el('span', { class: 'state', 'data-state': '' }, '…');
			return el('header', {}, el('h2', {}, this.name), this.state);
		}

		figuresPanel() {
			this.queueLabel = el('span', { class: 'label' }, 'Queued');
			this.queueBar = el('div', { class: 'fill' });
			this.workersBar = el('div', { class: 'fill' });
			const queued = el('div', { class: 'figure wide' }, this.queueLabel,
				el('span', { class: 'value', 'data-figure': 'queueDepth' }, '—'),
				el('span', { class: 'unit' }, 'of ', el('span', { 'data-figure': 'queueCapacity' }, '—')),
				el('div', { class: 'bar' }, this.queueBar));
			this.workersLabel = el('span', { class: 'label' }, 'Active workers');
			const active = el('div', { class: 'figure wide' }, this.workersLabel,
				el('span', { class: 'value', 'data-figure': 'activeWorkers' }, '—'),
				el('span', { class: 'unit' }, 'of ', el('span', { 'data-figure': 'workers' }, '—')),
				el('div', { class: 'bar' }, this.workersBar));
			for (const element of [...queued.querySelectorAll('[data-figure]'), ...active.querySelectorAll('[data-figure]')]) {
				this.figures[element.dataset.figure] = element;
			}
			this.deadFigure = this.figure('deadJobs', 'Dead');
			this.deadFigure.hidden = true;
			const figures = el('div', { class: 'figures' }, queued, active,
				this.figure('dispatchers', 'Dispatchers'), this.figure('retrying', 'Retrying'), this.deadFigure,
				this.figure('succeeded', 'Succeeded', '/s'), this.figure('failed', 'Failed', '/s'),
				this.figure('rejected', 'Rejected', '/s'));
			const totals = el('div', { class: 'totals' }, 'Since start: ');
			for (const [key, label] of [['accepted', 'accepted'], ['succeeded', 'succeeded'], ['failed', 'failed'],
				['retried', 'retried'], ['rejected', 'rejected'], ['handedBack', 'handed back']]) {
				const value = el('b', { 'data-total': key }, '—');
				this.figures['total.' + key] = value;
				totals.append(el('span', {}, value, ' ' + label));
			}
			return el('div', { class: 'panel' }, figures, totals);
		}

		chartsPanel() {
			this.depthChart = new Chart('Queue depth', [{ key: 'queueDepth', label: 'queued', color: '--c-queue' },
				{ key: 'retrying', label: 'retrying', color: '--c-retry', dashed: true }]);
			this.workersChart = new Chart('Workers', [{ key: 'activeWorkers', label: 'active', color: '--c-active' },
				{ key: 'workers', label: 'live', color: '--c-idle', dashed: true }]);
			this.throughputChart = new Chart('Jobs per second', [
				{ key: 'succeeded', label: 'succeeded', color: '--c-ok' },
				{ key: 'failed', label: 'failed', color: '--c-failed' },
				{ key: 'rejected', label: 'rejected', color: '--c-rejected', dashed: true }]);
			this.depthChart.canvas.dataset.chart = 'depth';
			this.workersChart.canvas.dataset.chart = 'workers';
			this.throughputChart.canvas.dataset.chart = 'throughput';
			return el('div', { class: 'charts' }, this.depthChart.element, this.workersChart.element,
				this.throughputChart.element);
		}

		timesPanel() {
			this.times = {};
			const row = (key, label) => {
				const cells = ['p50', 'p90', 'p99', 'count'].map((column) => {
					const cell = el('td', { 'data-time': key + '.' + column }, '—');
					this.times[key + '.' + column] = cell;
					return cell;
				});
				return el('tr', {}, el('th', { scope: 'row' }, label), ...cells);
			};
			return el('table', { class: 'times' },
				el('caption', {}, 'Job times over the last minute, every attempt'),
				el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'p50'), el('th', {}, 'p90'),
					el('th', {}, 'p99'), el('th', {}, 'attempts'))),
				el('tbody', {}, row('queueWait', 'Waiting in the queue'), row('run', 'Running')));
		}

		laterPanel() {
			this.recurringRows = el('tbody', {});
			this.scheduled = el('span', { 'data-figure': 'scheduled' }, '');
			this.later = el('div', { class: 'later', hidden: true },
				el('h3', {}, 'Later ', this.scheduled),
				el('table', {}, el('thead', {}, el('tr', {}, ...['Recurring job', 'Next slot', 'Last slot', 'Last outcome']
					.map((heading) => el('th', {}, heading)))), this.recurringRows));
			return this.later;
		}

		describeLater(pool) {
			const recurring = pool.recurring || [];
			const scheduled = pool.figures.scheduled || 0;
			this.later.hidden = recurring.length === 0 && scheduled === 0;
			this.scheduled.textContent = '(' + number(scheduled) + ' of ' + number(pool.configuration.scheduleCapacity)
				+ ' jobs waiting for their time)';
			const rows = recurring.map((job) => [job.name, when(job.nextSlot), when(job.lastSlot), job.lastOutcome || '—',
				job.nextSlot || '', job.lastSlot || '']);
			const shown = JSON.stringify(rows);
			if (shown === this.recurringShown) {
				return;
			}
			this.recurringShown = shown;
			this.recurringRows.replaceChildren(...rows.map(([name, next, last, outcome, nextSlot, lastSlot]) =>
				el('tr', { 'data-recurring': name }, el('td', {}, name), el('td', { title: nextSlot }, next),
					el('td', { title: lastSlot }, last), el('td', { class: 'text' }, outcome))));
			if (recurring.length === 0) {
				this.recurringRows.append(el('tr', {}, el('td', { colspan: '4', class: 'none' }, 'No recurring jobs.')));
			}
		}

		deadJobsPanel() {
			this.deadRows = el('tbody', {});
			this.deadCount = el('span', {}, '');
			this.requeueAll = el('button', { type: 'button', 'data-requeue-all': '', disabled: !writes,
				title: writes ? null : 'Read-only: writes to the jobpool endpoint are not granted' }, 'Requeue all');
			this.requeueAll.addEventListener('click', () => requeue(this, null, this.requeueAll));
			this.dead = el('div', { class: 'dead', hidden: true },
				el('h3', {}, 'Dead jobs ', this.deadCount, this.requeueAll),
				el('table', {}, el('thead', {}, el('tr', {}, ...['Id', 'Type', 'Attempts', 'Died', 'Why', 'Payload', '']
					.map((heading) => el('th', {}, heading)))), this.deadRows));
			return this.dead;
		}

		addHistory(history) {
			const samples = history.samples;
			const last = this.series.time.length ? this.series.time[this.series.time.length - 1] : -Infinity;
			samples.time.forEach((time, i) => {
				if (time > last) {
					for (const column of COLUMNS) {
						this.series[column].push(samples[column][i]);
					}
				}
			});
			const excess = this.series.time.length - historySize;
			if (excess > 0) {
				for (const column of COLUMNS) {
					this.series[column].splice(0, excess);
				}
			}
			for (const key of ['succeeded', 'failed', 'rejected']) {
				const values = this.series[key];
				this.figures[key].textContent = values.length ? rate(values[values.length - 1]) : '—';
			}
			for (const key of ['queueWait', 'run']) {
				const latency = history[key];
				for (const column of ['p50', 'p90', 'p99']) {
					this.times[key + '.' + column].textContent = latency ? duration(latency[column]) : '—';
				}
				this.times[key + '.count'].textContent = latency ? number(latency.count) : '0';
			}
			this.draw();
		}

		draw() {
			this.depthChart.draw(this.series);
			this.workersChart.draw(this.series);
			this.throughputChart.draw(this.series);
		}

		describe(pool) {
			const figures = pool.figures;
			const capacity = pool.configuration.queueCapacity;
			this.durable = pool.deadJobs !== null && pool.deadJobs !== undefined;
			this.state.textContent = pool.paused ? pool.state + ', paused' : pool.state;
			this.state.className = 'state ' + (pool.paused ? 'paused' : pool.state);
			this.queueLabel.textContent = this.durable ? 'Ready' : 'Queued';
			this.workersLabel.textContent = this.durable ? 'Running here' : 'Active workers';
			this.figures.queueDepth.textContent = number(figures.queueDepth);
			this.figures.queueCapacity.textContent = number(capacity);
			this.figures.activeWorkers.textContent = number(figures.activeWorkers);
			this.figures.workers.textContent = number(figures.workers);
			this.figures.dispatchers.textContent = number(figures.dispatchers) + ' of ' + number(pool.configuration.maxDispatchers);
			this.figures.retrying.textContent = number(figures.retrying);
			this.queueBar.style.width = Math.min(100, 100 * figures.queueDepth / Math.max(1, capacity)) + '%';
			this.workersBar.style.width = Math.min(100, 100 * figures.activeWorkers / Math.max(1, figures.workers)) + '%';
			for (const [key, value] of Object.entries(pool.jobs)) {
				if (this.figures['total.' + key]) {
					this.figures['total.' + key].textContent = number(value);
				}
			}
			this.depthChart.caption.textContent = (this.durable ? 'Ready jobs' : 'Queue depth') + ', capacity ' + number(capacity);
			this.deadFigure.hidden = !this.durable;
			this.dead.hidden = !this.durable;
			if (this.durable) {
				this.figures.deadJobs.textContent = number(pool.deadJobs);
			}
			this.deadJobCount = pool.deadJobs;
			this.describeLater(pool);
		}

		deadJobsDue(now) {
			return this.durable && (now - this.deadJobsReadAt >= DEAD_JOBS_REFRESH_MILLIS
				|| this.deadJobCount !== this.deadJobsShown);
		}

		async readDeadJobs(now) {
			this.deadJobsReadAt = now;
			const dead = await getJson(jobpoolUrl + '/' + encodeURIComponent(this.name) + '/dead?limit=' + DEAD_JOBS_SHOWN);
			this.deadJobsShown = dead.count;
			this.deadCount.textContent = dead.count > dead.jobs.length
				? '(' + number(dead.count) + ', the last ' + dead.jobs.length + ' shown)' : '(' + number(dead.count) + ')';
			this.requeueAll.hidden = dead.jobs.length === 0;
			const listed = JSON.stringify(dead.jobs);
			if (listed === this.deadJobsListed) {
				return;
			}
			this.deadJobsListed = listed;
			this.deadRows.replaceChildren(...dead.jobs.map((job) => this.deadJobRow(job)));
			if (dead.jobs.length === 0) {
				this.deadRows.append(el('tr', {}, el('td', { colspan: '7', class: 'none' }, 'No dead jobs.')));
			}
		}

		deadJobRow(job) {
			const button = el('button', { type: 'button', 'data-requeue': String(job.id), disabled: !writes,
				title: writes ? null : 'Read-only: writes to the jobpool endpoint are not granted' }, 'Requeue');
			button.addEventListener('click', () => requeue(this, job.id, button));
			const payload = job.payload === '******'
				? el('span', { class: 'hidden-payload', title: 'Hidden by management.endpoint.jobpool.show-payloads' }, 'hidden')
				: shortened(job.payload);
			return el('tr', { 'data-dead-job': String(job.id) }, el('td', {}, String(job.id)), el('td', {}, job.type),
				el('td', {}, String(job.attempts)), el('td', { title: job.failedAt }, ago(job.failedAt)),
				el('td', { class: 'text' }, shortened(job.error)), el('td', { class: 'text' }, payload), el('td', {}, button));
		}
	}

	function pool(name) {
		let found = pools.get(name);
		if (!found) {
			found = new Pool(name);
			pools.set(name, found);
		}
		return found;
	}

	// The loop

	function status(text, kind) {
		statusElement.textContent = text;
		statusElement.className = 'status ' + kind;
	}

	async function refresh() {
		const [history, described] = await Promise.all([getJson(historyUrl + '?after=' + lastSample),
			jobpoolUrl ? getJson(jobpoolUrl) : null]);
		interval = history.interval;
		historySize = history.size;
		for (const [name, samples] of Object.entries(history.pools)) {
			pool(name).addHistory(samples);
		}
		lastSample = history.last;
		if (described) {
			for (const [name, description] of Object.entries(described.pools)) {
				pool(name).describe(description);
			}
			const now = Date.now();
			await Promise.all([...pools.values()].filter((each) => each.deadJobsDue(now))
				.map((each) => each.readDeadJobs(now)));
		}
	}

	async function poll() {
		if (!document.hidden) {
			try {
				await refresh();
				status('Live · ' + new Date().toLocaleTimeString('en-GB'), 'live');
			}
			catch (error) {
				status('Not updating: ' + error.message, 'down');
			}
		}
		setTimeout(poll, interval);
	}

	const access = document.getElementById('access');
	if (!jobpoolUrl) {
		access.textContent = 'The jobpool endpoint is not exposed over HTTP, so only the charts are shown: '
			+ 'add jobpool to management.endpoints.web.exposure.include.';
		access.hidden = false;
	}
	else if (!writes) {
		access.textContent = 'Read-only: requeuing dead jobs is off until writes to the jobpool endpoint are granted '
			+ '(management.endpoint.jobpool.access=unrestricted).';
		access.hidden = false;
	}
	document.addEventListener('visibilitychange', () => {
		if (!document.hidden) {
			refresh().catch(() => {});
		}
	});
	window.addEventListener('resize', () => pools.forEach((each) => each.draw()));
	poll();
})();
