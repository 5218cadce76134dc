/**
 * npm run chaos [-- --seed N --documents N --kills N --s3-outage SECONDS --malformed N …]
 * The fault tests as one reproducible command against the real parts (see run.ts). Exit 0
 * only when nothing was lost, duplicated, stuck, hidden or falsely quarantined, every
 * malformed file was quarantined with a specific code within its limit, /healthz always
 * answered, and every SIGKILLed job ran again within 60 s.
 */
import { parseArgs } from 'node:util';
import { killAll } from './processes.ts';
import { DEFAULTS, runChaos, type ChaosOptions } from './run.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    documents: { type: 'string' },
    samples: { type: 'string' },
    kills: { type: 'string' },
    'mixed-malformed': { type: 'string' },
    malformed: { type: 'string' },
    's3-outage': { type: 'string' },
    'no-redis-restart': { type: 'boolean', default: false },
    'no-sigterm': { type: 'boolean', default: false },
    modes: { type: 'string' },
    'settle-minutes': { type: 'string' },
    keep: { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`npm run chaos -- [options]
  --seed N             random seed (default: random, printed)
  --documents N        valid documents, split between the deployments (${DEFAULTS.documents})
  --samples N          of them from samples/ (OCR of faxes, scans, photos; ${DEFAULTS.samples})
  --kills N            SIGKILLs of pipeline processes, split between the deployments (${DEFAULTS.kills})
  --mixed-malformed N  malformed files mixed into the stream (${DEFAULTS.mixedMalformed})
  --malformed N        the malformed phase on the services, /healthz watched (${DEFAULTS.malformed}; 0: none)
  --s3-outage S        seconds S3 is stopped in the services deployment (${DEFAULTS.s3OutageMs / 1000}; 0: none)
  --no-redis-restart   no Redis SIGKILL and restart
  --no-sigterm         no SIGTERM hand-back test
  --modes LIST         all-in-one,services (default both)
  --settle-minutes M   how long to wait for every outcome after the faults (${DEFAULTS.settleMs / 60_000})
  --concurrency N      documents each read worker takes at once (INTAKE_OCR_CONCURRENCY; ${DEFAULTS.readConcurrency})
  --keep               keep the working folder (logs, store)
`);
  process.exit(0);
}

const int = (v: string | undefined, d: number) => (v === undefined ? d : Math.max(0, Math.floor(Number(v))));
const options: ChaosOptions = {
  ...DEFAULTS,
  seed: values.seed !== undefined ? int(values.seed, 0) : Math.floor(Math.random() * 2 ** 31),
  documents: int(values.documents, DEFAULTS.documents),
  samples: int(values.samples, DEFAULTS.samples),
  kills: int(values.kills, DEFAULTS.kills),
  mixedMalformed: int(values['mixed-malformed'], DEFAULTS.mixedMalformed),
  malformed: int(values.malformed, DEFAULTS.malformed),
  s3OutageMs: values['s3-outage'] !== undefined ? int(values['s3-outage'], 0) * 1000 : DEFAULTS.s3OutageMs,
  redisRestart: !values['no-redis-restart'],
  sigterm: !values['no-sigterm'],
  modes: values.modes ? (values.modes.split(',').map((m) => m.trim()) as ChaosOptions['modes']) : DEFAULTS.modes,
  settleMs: values['settle-minutes'] !== undefined ? int(values['settle-minutes'], 20) * 60_000 : DEFAULTS.settleMs,
  keep: values.keep,
  readConcurrency: int(values.concurrency, DEFAULTS.readConcurrency),
  out: (line) => process.stdout.write(`${line}\n`),
};
for (const m of options.modes) if (m !== 'all-in-one' && m !== 'services') throw new Error(`unknown mode ${m}`);

// Interrupted: stop every process the run started (its folder is kept for a look).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.stdout.write(`chaos: interrupted (${signal}); processes stopped\n`);
    process.exit(130);
  });
}

const { ok } = await runChaos(options);
process.exit(ok ? 0 : 1);
