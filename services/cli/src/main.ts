import { spawnSync } from 'node:child_process';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ExtractionResult } from '@intake/core';

// Only node built-ins load at start; each command imports what it needs when it runs, so
// `intake --help` does not load OCR, PDF, the AWS SDK or the vocabularies. Commands import
// this package's own modules (never a workspace package's namespace, which would make all
// of it live in the production bundle): each takes by name what it uses from @intake/*.

// Node ≥ 22.1 keeps V8's compiled code of the modules loaded from here on in a cache on disk
// (under the system temp folder, NODE_COMPILE_CACHE to move it, NODE_DISABLE_COMPILE_CACHE=1 to
// turn it off): a second `intake extract` does not compile pdf.js again. Node 20 has no cache.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `usage:
  intake extract FILE... [--json]   read documents and print their extraction results (no Redis, no S3)
  intake start                      run every service in one process on the embedded default
  intake reconcile [--fix]          does every document have an outcome? counts by outcome and the documents
                                    without one; --fix re-queues them (or quarantines a failure never recorded)
  intake metrics [--once]           queue depth, oldest waiting job, failed jobs and quarantine size as
                                    CloudWatch embedded-metric JSON lines, every INTAKE_METRICS_INTERVAL_MS
  intake reindex                    rebuild the review index (PostgreSQL / PGlite) from the S3 store and report
                                    what differed (stop intake start first when the index is the embedded PGlite)
  intake eval [args]                precision/recall/F1 over samples/ (same as npm run eval)
  intake bench ocr|extract|review   benchmarks (same as npm run bench:ocr / bench:extract / bench:review)`;

async function extract(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { closeDefaultOcrPool, describeFailure, extractPath, loadCoreConfig, setDefaultOcrEngine } = await import('./extract-files.ts');
  const config = loadCoreConfig();
  // The engine the workers use too (INTAKE_OCR_ENGINE); tesseract starts only when a page needs OCR.
  setDefaultOcrEngine(config.INTAKE_OCR_ENGINE);
  const results: ExtractionResult[] = [];
  let failed = 0;
  // One file, one result object; a container (.eml, .msg, winmail.dat) gives an array, one per document inside.
  let single = positionals.length === 1;
  try {
    for (const file of positionals) {
      try {
        const got = await extractPath(file, config);
        results.push(...got.results);
        if (got.container) single = false;
        for (const line of got.leftOut) process.stderr.write(`${file}: ${line}\n`);
      } catch (error) {
        failed += 1;
        process.stderr.write(`${file}: ${describeFailure(error)}\n`);
      }
    }
  } finally {
    // Started by extractFile only when a page needed OCR.
    await closeDefaultOcrPool();
  }
  if (values.json) {
    const out = single ? results[0] : results;
    if (out !== undefined) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const r of results) {
      process.stdout.write(`${r.source.file} (${r.source.mediaType}, ${r.source.pages} pages): ${r.items.length} items\n`);
      for (const item of r.items) {
        process.stdout.write(
          `  ${item.kind.padEnd(12)} ${item.negated ? '[negated] ' : ''}${item.display}  (${item.confidence.toFixed(2)})\n`,
        );
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

async function start(): Promise<number> {
  const { createLogger, loadCoreConfig, startPipeline } = await import('./pipeline.ts');
  const config = loadCoreConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const pipeline = await startPipeline({ config, logger, review: true });
  // SIGTERM: running jobs finish within the grace or are handed back to waiting; exit 1 if closing hangs past the deadline.
  pipeline.handleSignals();
  await pipeline.ready;
  const lines = [
    'intake is running (embedded default)',
    `  fax drop:      ${pipeline.faxDir}${config.FAX_ARCHIVE_DIR ? ` (archived to ${path.resolve(config.FAX_ARCHIVE_DIR)})` : ' (files left in place)'}`,
    `  review store:  ${pipeline.s3Endpoint ?? 'AWS S3'} bucket ${config.S3_BUCKET}${pipeline.s3Endpoint ? ` (files under ${path.resolve(config.INTAKE_DATA_DIR, 's3')})` : ''}`,
    `  redis:         ${pipeline.redisHandle.url}${pipeline.redisHandle.child ? ' (started by intake)' : ''}`,
    `  review UI:     ${pipeline.reviewUrl ?? '(not served)'}`,
    '  results:       documents/<sha256>/extraction.json in the store; Ctrl-C stops',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return new Promise<number>(() => {}); // runs until a signal
}

async function metrics(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } });
  const { JOBS, openServiceRuntime, s3KeyCounter, sampleMetrics, toEmfLines } = await import('./metrics.ts');
  const namespace = process.env.INTAKE_METRICS_NAMESPACE || 'Intake';
  const intervalMs = Math.max(5000, Number(process.env.INTAKE_METRICS_INTERVAL_MS) || 60_000);
  const rt = await openServiceRuntime({ name: 'queue-metrics' });
  const sources = {
    connection: rt.redis,
    prefix: rt.config.INTAKE_QUEUE_PREFIX,
    queues: [...new Set(JOBS.map((j) => j.queue))],
    countKeys: s3KeyCounter(rt.store.s3, rt.store.bucket),
  };
  const once = async () => {
    for (const line of toEmfLines(await sampleMetrics(sources), namespace)) process.stdout.write(`${line}\n`);
  };
  if (values.once) {
    try {
      await once();
    } finally {
      await rt.lifecycle.close();
    }
    return 0;
  }
  const timer = setInterval(() => {
    once().catch((error: unknown) => rt.logger.error({ err: { message: (error as Error).message } }, 'metrics sample failed'));
  }, intervalMs);
  rt.lifecycle.onClose('metrics', async () => clearInterval(timer));
  rt.lifecycle.handleSignals();
  await once();
  return new Promise<number>(() => {}); // runs until a signal
}

async function reconcileCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { fix: { type: 'boolean', default: false } } });
  const { createLogger, extractDocumentJob, formatReconcileReport, loadCoreConfig, openServiceRuntime, readDocumentJob, reconcile, sweepStoreOf } =
    await import('./reconcile.ts');
  const config = loadCoreConfig();
  const rt = await openServiceRuntime({ name: 'intake', config, logger: createLogger({ level: 'warn' }) });
  try {
    const report = await reconcile(
      {
        store: sweepStoreOf(rt.store),
        readProducer: rt.producer(readDocumentJob),
        extractProducer: rt.producer(extractDocumentJob),
      },
      // By hand everything counts; the periodic sweeper waits 10 minutes before judging a document.
      { fix: values.fix, minAgeMs: values.fix ? 60_000 : 0 },
    );
    process.stdout.write(`${formatReconcileReport(report)}\n`);
    return !values.fix && report.byOutcome.none + report.byOutcome.unreadable > 0 ? 1 : 0;
  } finally {
    await rt.lifecycle.close();
  }
}

function runScript(script: string, args: string[]): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], {
    stdio: 'inherit',
    cwd: repoRoot,
  });
  return result.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'extract':
      return extract(rest);
    case 'start':
      return start();
    case 'reconcile':
      return reconcileCommand(rest);
    case 'metrics':
      return metrics(rest);
    case 'reindex':
      return (await import('./reindex.ts')).reindexCommand();
    case 'eval':
      return runScript('samples/eval/eval.ts', rest);
    case 'bench': {
      const which = rest[0];
      if (which === 'ocr') return runScript('shared/documents/bench/ocr.bench.ts', rest.slice(1));
      if (which === 'extract') return runScript('shared/extraction/bench/extract.bench.ts', rest.slice(1));
      if (which === 'review') return runScript('shared/index/bench/review.bench.ts', rest.slice(1));
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const err = error as Error;
  process.stderr.write(`${err.name === 'ConfigError' ? err.message : `intake: ${err.message}`}\n`);
  process.exitCode = 1;
}
