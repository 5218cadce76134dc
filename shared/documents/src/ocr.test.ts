import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool, tessdataDir } from './ocr-pool.ts';
import { createNativeOcrEngine, parseTesseractTsv } from './native-ocr.ts';
import { OcrTimeoutError, encodePgm, pnmSize } from './ocr-engine.ts';
import { renderTextImage, squash } from './testing/fixtures.ts';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

const line = () => renderTextImage(['Colonoscopy performed 2021-06-30'], { width: 1400, height: 200, fontSize: 40, top: 110 });

describe('tesseract.js pool', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('uses language data from node_modules only', () => {
    expect(existsSync(`${tessdataDir('eng', '4.0.0_best_int')}/eng.traineddata.gz`)).toBe(true);
    expect(pool.size).toBe(1);
    const sized = createOcrPool();
    expect(sized.size).toBeGreaterThanOrEqual(1);
    void sized.close();
  });

  it('recognises words with boxes and 0–1 confidences', async () => {
    const r = await pool.recognize(await line(), { timeoutMs: 30_000 });
    expect(squash(r.text)).toBe('colonoscopy performed 2021-06-30');
    expect([r.width, r.height]).toEqual([1400, 200]);
    const [first] = r.lines[0]!.words;
    expect(first!.text).toBe('Colonoscopy');
    expect(first!.confidence).toBeGreaterThan(0.8);
    expect(first!.confidence).toBeLessThanOrEqual(1);
    expect(first!.bbox[0]).toBeGreaterThan(100);
    expect(first!.bbox[0]).toBeLessThan(125); // rendered at x = 8% of 1400 = 112
  });

  it('stops a recognition that exceeds its time limit, and keeps serving', async () => {
    const big = await renderTextImage(
      Array.from({ length: 60 }, (_, i) => `Line ${i}: a long line of text that takes time to recognise, again and again`),
      { width: 2550, height: 3300, fontSize: 36, lineHeight: 50 },
    );
    await expect(pool.recognize(big, { timeoutMs: 50 })).rejects.toBeInstanceOf(OcrTimeoutError);
    const r = await pool.recognize(await line(), { timeoutMs: 30_000 });
    expect(squash(r.text)).toContain('colonoscopy');
  });

  it('reads PGM (no encoding cost) like PNG', async () => {
    const pixels = new Uint8Array(40 * 20).fill(255);
    const pgm = encodePgm(pixels, 40, 20);
    expect(pnmSize(pgm)).toEqual({ width: 40, height: 20 });
    expect(pnmSize(Buffer.from('not an image'))).toBeUndefined();
  });
});

describe('native tesseract engine', () => {
  it('parses TSV into lines of words', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '4\t1\t1\t1\t1\t0\t10\t10\t200\t20\t-1\t',
      '5\t1\t1\t1\t1\t1\t10\t10\t90\t20\t96.5\tAspirin',
      '5\t1\t1\t1\t1\t2\t110\t10\t40\t20\t91\t81mg',
      '5\t1\t1\t1\t2\t1\t10\t40\t40\t20\t88\tdaily',
    ].join('\n');
    const lines = parseTesseractTsv(tsv);
    expect(lines.map((l) => l.map((w) => w.text))).toEqual([['Aspirin', '81mg'], ['daily']]);
    expect(lines[0]![0]).toEqual({ text: 'Aspirin', bbox: [10, 10, 100, 30], confidence: 0.965 });
  });

  const native = createNativeOcrEngine({ size: 1 });
  it.skipIf(!native)('recognises the same line as tesseract.js', async () => {
    const r = await native!.recognize(await line(), { timeoutMs: 30_000 });
    expect(squash(r.text)).toBe('colonoscopy performed 2021-06-30');
    await expect(native!.recognize(await line(), { timeoutMs: 1 })).rejects.toBeInstanceOf(OcrTimeoutError);
  });

  it.skipIf(!native)('starts tesseract from a helper process; one that dies fails the run in flight and is replaced', async () => {
    const spawner = (native as unknown as { spawner: { child?: ChildProcess; pending: Map<number, unknown> } }).spawner;
    await native!.recognize(await line(), { timeoutMs: 30_000 });
    const helper = spawner.child!;
    expect(helper.pid).not.toBe(process.pid);
    const inFlight = native!.recognize(await line(), { timeoutMs: 30_000 });
    while (spawner.pending.size === 0) await new Promise((r) => setTimeout(r, 5));
    helper.kill('SIGKILL');
    await expect(inFlight).rejects.toThrow(/tesseract spawner/);
    const again = await native!.recognize(await line(), { timeoutMs: 30_000 });
    expect(squash(again.text)).toBe('colonoscopy performed 2021-06-30');
    expect(spawner.child!.pid).not.toBe(helper.pid);
    await native!.close();
    expect(spawner.child).toBeUndefined();
  });
});
