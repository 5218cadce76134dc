import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BadInputError } from '@intake/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OcrTimeoutError, type OcrEngine } from './ocr-engine.ts';
import { classifyDecodeError, createSandboxedReader } from './sandbox.ts';
import { makePdf, renderTextImage } from './testing/fixtures.ts';

// A real fax TIFF (from samples/) with six bits flipped: sharp refuses it, and utif2, the
// fallback decoder, then spins synchronously for ~8 s on one core (minutes on a busy one).
const stallingFax = fileURLToPath(new URL('../test-fixtures/stalling-fax.tif', import.meta.url));

const ocrCalls: number[] = [];
const ocr: OcrEngine = {
  size: 1,
  recognize: async (image) => {
    ocrCalls.push(image.length);
    return { text: '', lines: [], confidence: 0, width: 1, height: 1 };
  },
  close: async () => {},
};
const limits = { maxPages: 20, maxPixelsPerPage: 60_000_000, pageTimeoutMs: 10_000, renderImages: false };

describe('sandboxed reader (worker threads with time and memory limits)', () => {
  const reader = createSandboxedReader({ ocr, threads: 1, documentTimeoutMs: 60_000, stallTimeoutMs: 3000, maxHeapMb: 512 });
  afterAll(() => reader.close());

  it('kills a decoder that stops answering, quarantines the document as timeout, keeps the event loop free, and reads the next document', async () => {
    const pdf = makePdf([{ kind: 'text', lines: [{ text: 'Medication List', x: 72, y: 72, size: 14 }, { text: 'Metformin 500 mg twice daily', x: 72, y: 110 }] }]);
    // Warm-up: the thread starts and reads a good document.
    const first = await reader.read(pdf, limits);
    expect(first.pages[0]?.text).toMatch(/Metformin/);

    let maxGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 20);
    const started = performance.now();
    const error = await reader.read(await readFile(stallingFax), limits).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = performance.now() - started;
    clearInterval(ticker);

    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('timeout');
    expect(reader.killed).toBe(1);
    expect(took).toBeLessThan(9000); // killed at the stall limit, not after the decoder finished
    // The process's event loop kept answering the whole time (a blocked loop shows gaps of seconds).
    expect(maxGap).toBeLessThan(1000);

    const next = await reader.read(pdf, limits);
    expect(next.pages[0]?.text).toMatch(/Metformin/);
  });

  it('classifies decoder errors on the bytes as permanent (corrupt), OCR engine errors as transient', () => {
    const nullDeref = new TypeError("Cannot read properties of null (reading 'get')");
    expect(classifyDecodeError(nullDeref, () => false)).toMatchObject({ name: 'BadInputError', code: 'corrupt' });
    const formatError = Object.assign(new Error('Bad FCHECK in flate stream'), { name: 'FormatError' });
    expect((classifyDecodeError(formatError, () => false) as Error).message).toMatch(/FormatError/);
    const ocrCrash = new Error('tesseract exited');
    expect(classifyDecodeError(ocrCrash, (e) => e === ocrCrash)).toBe(ocrCrash);
    const bad = new BadInputError('encrypted', 'x');
    expect(classifyDecodeError(bad, () => false)).toBe(bad);
  });

  it('brings bad-input errors back with their code, and other errors as transient ones', async () => {
    await expect(reader.read(Buffer.from('%PDF-1.4\n%broken'), limits)).rejects.toMatchObject({ name: 'BadInputError' });
    await expect(reader.read(Buffer.from('hello, not a document'), limits)).rejects.toMatchObject({ name: 'BadInputError', code: 'unsupported-type' });
  });

  it("sends a scan's OCR to the process's engine, and an OCR time-out there fails the page as timeout", async () => {
    const scan = await renderTextImage(['MEDICATION LIST', 'Metformin 500 mg twice daily'], { width: 1200, height: 800, fontSize: 36 });
    const before = ocrCalls.length;
    await reader.read(scan, limits);
    expect(ocrCalls.length).toBeGreaterThan(before);
    const slow = createSandboxedReader({
      ocr: { ...ocr, recognize: async () => Promise.reject(new OcrTimeoutError(1234)) },
      threads: 1,
      documentTimeoutMs: 60_000,
      stallTimeoutMs: 3000,
      maxHeapMb: 512,
    });
    try {
      // OcrTimeoutError crossed back into the thread as itself: page.ts turned it into the page's timeout.
      await expect(slow.read(scan, limits)).rejects.toMatchObject({ name: 'BadInputError', code: 'timeout', reason: expect.stringMatching(/page 1 could not be read within 10 s/) });
    } finally {
      await slow.close();
    }
  });
});
