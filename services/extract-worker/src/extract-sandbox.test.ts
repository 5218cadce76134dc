import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Source } from '@intake/core';
import { afterAll, describe, expect, it } from 'vitest';
import { computeExtraction } from './extract-compute.ts';
import { ExtractSandbox } from './extract-sandbox.ts';

const source: Source = { file: 'meds.pdf', sha256: 'a'.repeat(64), mediaType: 'application/pdf', pages: 1, channel: 'fax' };
const page = (text: string, n = 1) => ({ page: n, method: 'text-layer' as const, text, lines: [], width: 0, height: 0, rotation: 0, confidence: 1 });
const meds = ['Patient: Quinn Example   DOB: 04/12/1961', 'MEDICATION LIST', 'Lisinopril 20 mg tablet daily', 'Metformin 500 mg tablet twice daily'].join('\n');

describe('extraction in a thread (ExtractSandbox)', () => {
  const sandbox = new ExtractSandbox({ threads: 1, timeoutMs: 20_000, maxHeapMb: 512 });
  afterAll(() => sandbox.close());

  it('gives the same result as extraction in-process', async () => {
    const task = { kind: 'pages' as const, pages: [page(meds)], source };
    const inThread = await sandbox.run(task);
    const inline = computeExtraction(task);
    expect(inThread.result.items.map((i) => i.kind)).toEqual(inline.result.items.map((i) => i.kind));
    expect(inThread.result.items.length).toBeGreaterThanOrEqual(2);
    expect(inThread.result.patient.birthDate).toBe(inline.result.patient.birthDate);
    expect(inThread.documentType).toEqual(inline.documentType);
    expect(inThread.identity).toEqual(inline.identity);
  }, 60_000);

  it('keeps bad-input errors (a structured file with no entries is no-content)', async () => {
    const empty = Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] }));
    await expect(sandbox.run({ kind: 'structured', bytes: empty, mediaType: 'application/fhir+json', source: { ...source, mediaType: 'application/fhir+json' } })).rejects.toMatchObject({
      name: 'BadInputError',
      code: 'no-content',
    });
  }, 60_000);

  it('the event loop stays free while a large document is parsed', async () => {
    const many = Array.from({ length: 60 }, (_, i) => page(`${meds}\n${'Atorvastatin 40 mg tablet nightly\n'.repeat(40)}`, i + 1));
    const task = { kind: 'pages' as const, pages: many, source: { ...source, pages: many.length } };
    const t0 = performance.now();
    computeExtraction(task);
    const inlineMs = performance.now() - t0;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    await sandbox.run(task);
    lag.disable();
    // In-process the loop would be blocked for the whole parse; in the thread only for the message copies.
    expect(lag.max / 1e6).toBeLessThan(Math.max(100, inlineMs / 2));
  }, 120_000);
});

describe('the time limit', () => {
  it('a parse over the limit is stopped as timeout and the next document runs', async () => {
    const sandbox = new ExtractSandbox({ threads: 1, timeoutMs: 2000, maxHeapMb: 512 });
    try {
      // A document far too large to parse in 2 s.
      const huge = Array.from({ length: 1500 }, (_, i) => page(`${meds}\n${'Atorvastatin 40 mg tablet nightly\n'.repeat(200)}`, i + 1));
      const started = Date.now();
      await expect(sandbox.run({ kind: 'pages', pages: huge, source: { ...source, pages: huge.length } })).rejects.toMatchObject({ name: 'BadInputError', code: 'timeout' });
      // Stopped, not run to its end (minutes): the bound leaves room for a loaded machine (20 s seen at load 21).
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(sandbox.killed).toBe(1);
      // The replacement thread (started when the first was stopped) takes the next document.
      const after = await sandbox.run({ kind: 'pages', pages: [page(meds)], source });
      expect(after.result.items.length).toBeGreaterThanOrEqual(2);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
