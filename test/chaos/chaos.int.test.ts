import { describe, expect, it } from 'vitest';
import { runChaos } from './run.ts';

// The short variant of `npm run chaos`: the separate services on their own Redis, S3 process
// and PostgreSQL database; one SIGKILL, a Redis restart, a 5 s S3 outage, a SIGTERM, and a
// few malformed files (with /healthz watched), then the reconciliation. The SIGTERM comes while
// a 30-page scan is being read (longer than the 10 s grace): it must be handed back.
describe('chaos (short)', () => {
  it('loses, duplicates, hides and falsely quarantines nothing under a SIGKILL, a Redis restart, an S3 outage and a SIGTERM', async () => {
    const lines: string[] = [];
    const { results, lastLines } = await runChaos({
      seed: 20261202,
      documents: 6,
      samples: 1,
      kills: 1,
      mixedMalformed: 2,
      malformed: 6,
      s3OutageMs: 5000,
      redisRestart: true,
      sigterm: true,
      modes: ['services'],
      settleMs: 4 * 60_000,
      keep: false,
      readConcurrency: 2,
      // The SIGTERM waits (at most this long) for the 30-page scan it drops to be read for a second.
      sigtermWaitMs: 120_000,
      databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      out: (line) => lines.push(line),
    });
    const [r] = results;
    const log = lines.join('\n');
    expect(r!.problems, log).toEqual([]);
    expect(r!.documents, log).toBeGreaterThanOrEqual(12);
    expect(r!.kills, log).toHaveLength(1);
    expect(r!.redisRestarts, log).toBe(1);
    expect(r!.s3Outages, log).toHaveLength(1);
    for (const k of r!.kills) if (k.jobs > 0) expect(k.recoveredMs, log).toBeLessThanOrEqual(60_000);
    // The hand-back for real: the scan's read (longer than the 10 s grace) went back to waiting,
    // and the restarted read worker ran it, and every other handed-back job, within 5 s of being ready.
    expect(r!.sigterms, log).toHaveLength(1);
    for (const t of r!.sigterms) {
      expect(t.stillLocked, log).toBe(0);
      expect(t.handedBack, log).toBeGreaterThanOrEqual(1);
      expect(t.longJob.state, log).toMatch(/^(waiting|prioritized)$/);
      expect(t.longJob.pickupMs, log).toBeLessThanOrEqual(5000);
      expect(t.pickupMs, log).toBeLessThanOrEqual(5000);
    }
    expect(log).not.toMatch(/hand-back not exercised/);
    expect(r!.malformed.files, log).toBeGreaterThan(0);
    expect(r!.malformed.generic + r!.malformed.noOutcome + r!.malformed.overLimit, log).toBe(0);
    expect(Object.keys(r!.healthz?.failures ?? {}), log).toEqual([]);
    expect(lastLines[0]).toBe('chaos: stuck 0, hidden 0, falsely quarantined 0');
    expect(lastLines[1]).toMatch(/^chaos: \d+ documents, 1 kills, lost 0, duplicated 0$/);
  }, 420_000);
});
