import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadCoreConfig } from '@intake/config';
import type { ExtractionResult } from '@intake/core';
import { closeDefaultOcrPool } from '@intake/documents';
import { describeFailure, extractFile } from './extract-files.ts';
import { startPipeline } from './pipeline.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `usage:
  intake extract FILE... [--json]   read documents and print their extraction results (no Redis, no S3)
  intake start                      run every service in one process on the embedded default
  intake eval [args]                precision/recall/F1 over samples/ (same as npm run eval)
  intake bench ocr|extract          benchmarks (same as npm run bench:ocr / bench:extract)`;

async function extract(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadCoreConfig();
  const results: ExtractionResult[] = [];
  let failed = 0;
  try {
    for (const file of positionals) {
      try {
        results.push(await extractFile(file, config));
      } catch (error) {
        failed += 1;
        process.stderr.write(`${file}: ${describeFailure(error)}\n`);
      }
    }
  } finally {
    await closeDefaultOcrPool();
  }
  if (values.json) {
    const out = positionals.length === 1 ? results[0] : results;
    if (out !== undefined) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const r of results) {
      process.stdout.write(`${r.source.file} (${r.source.mediaType}, ${r.source.pages} pages): ${r.items.length} items\n`);
      for (const item of r.items) {
        process.stdout.write(`  ${item.kind.padEnd(12)} ${item.negated ? '[negated] ' : ''}${item.display}  (${item.confidence.toFixed(2)})\n`);
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

async function start(): Promise<number> {
  const config = loadCoreConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const pipeline = await startPipeline({ config, logger, review: true });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    void pipeline.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
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

function runScript(script: string, args: string[]): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], { stdio: 'inherit', cwd: repoRoot });
  return result.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'extract':
      return extract(rest);
    case 'start':
      return start();
    case 'eval':
      return runScript('samples/eval/eval.ts', rest);
    case 'bench': {
      const which = rest[0];
      if (which === 'ocr') return runScript('shared/documents/bench/ocr.bench.ts', rest.slice(1));
      if (which === 'extract') return runScript('shared/extraction/bench/extract.bench.ts', rest.slice(1));
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
  process.stderr.write(`${error instanceof ConfigError ? error.message : `intake: ${(error as Error).message}`}\n`);
  process.exitCode = 1;
}
