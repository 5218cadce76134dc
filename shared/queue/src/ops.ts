import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from '@intake/config';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Operations endpoints of a service process: `/healthz` (the process answers), `/readyz`
 * (its dependencies answer and its event loop is not blocked) and `/metrics` (Prometheus).
 * The metrics live in one registry per process; the job workers count into it.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry }); // RSS, heap, event-loop lag, GC

export const metrics = {
  jobs: new Counter({
    name: 'intake_jobs_total',
    help: 'Job attempts by queue and outcome (done, retry, permanent)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  jobSeconds: new Histogram({
    name: 'intake_job_duration_seconds',
    help: 'Time one job attempt took, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [metricsRegistry],
  }),
  quarantined: new Counter({
    name: 'intake_quarantined_total',
    help: 'Documents quarantined by this process, by step and code',
    labelNames: ['step', 'code'] as const,
    registers: [metricsRegistry],
  }),
  circuitOpen: new Gauge({
    name: 'intake_worker_circuit_open',
    help: '1 while a worker is paused because the store does not answer',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
  }),
};

/** Queue depth and the age of the oldest waiting job, read from Redis at each scrape. */
let watched: Queue[] | undefined;
export function watchQueues(queues: Queue[]): void {
  if (watched) {
    watched.push(...queues.filter((q) => !watched!.some((w) => w.name === q.name && w.opts.prefix === q.opts.prefix)));
    return;
  }
  watched = [...queues];
  queues = watched;
  const depth = new Gauge({
    name: 'intake_queue_jobs',
    help: 'Jobs in a queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [metricsRegistry],
    async collect() {
      for (const q of queues) {
        const counts = await q.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  const oldest = new Gauge({
    name: 'intake_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to start (0 when none waits)',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
    async collect() {
      for (const q of queues) {
        const [job] = await q.getJobs(['wait'], 0, 0, true);
        this.set({ queue: q.name }, job ? Math.max(0, (Date.now() - job.timestamp) / 1000) : 0);
      }
    },
  });
  void depth;
  void oldest;
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/** The event loop is "blocked" when its delay's recent maximum passes this. */
const BLOCKED_MS = 2000;

/**
 * Start the endpoints on `port` (0: a free one) on loopback unless `host` says otherwise.
 * `checks` are the readiness probes (Redis, the store, the index); each gets 3 s.
 */
export async function startOpsServer(options: {
  port: number;
  host?: string;
  checks: Record<string, () => Promise<unknown>>;
  logger: Logger;
}): Promise<OpsServer> {
  const delay = monitorEventLoopDelay({ resolution: 50 });
  delay.enable();
  // The recent maximum, reset every 10 s (the histogram's max only grows otherwise).
  let recentMaxMs = 0;
  const reset = setInterval(() => {
    recentMaxMs = delay.max / 1e6;
    delay.reset();
  }, 10_000);
  reset.unref();

  const ready = async (): Promise<{ ok: boolean; checks: Record<string, string> }> => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000)))]);
          results[name] = 'ok';
        } catch (error) {
          results[name] = (error as Error).message.slice(0, 120);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const lag = Math.max(recentMaxMs, delay.max / 1e6);
    results.eventLoop = lag > BLOCKED_MS ? `blocked for ${Math.round(lag)} ms` : 'ok';
    return { ok: Object.values(results).every((r) => r === 'ok'), checks: results };
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, '{"error":"method not allowed"}');
    if (url === '/healthz') return send(200, '{"ok":true}');
    if (url === '/readyz') {
      void ready().then((r) => send(r.ok ? 200 : 503, JSON.stringify(r)));
      return;
    }
    if (url === '/metrics') {
      metricsRegistry.metrics().then(
        (text) => send(200, text, metricsRegistry.contentType),
        (error: unknown) => send(500, JSON.stringify({ error: (error as Error).message })),
      );
      return;
    }
    send(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  options.logger.info({ port }, 'ops endpoints: /healthz /readyz /metrics');
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: async () => {
      clearInterval(reset);
      delay.disable();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive scrapers would hold the close open
      await closed;
    },
  };
}
