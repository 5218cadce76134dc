import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaType } from '@intake/core';
import { readDocument } from './read.ts';
import { createOcrPool } from './ocr-pool.ts';
import { squash } from './testing/fixtures.ts';

describe('HEIC (iPhone photos)', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('decodes a real HEVC-coded HEIC and reads its text', async () => {
    const bytes = await readFile(new URL('../test-fixtures/medications.heic', import.meta.url));
    const { mediaType, pages } = await readDocument(bytes, { maxPages: 5, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 60_000, ocr: pool });
    expect(mediaType).toBe(MediaType.heic);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.method).toBe('ocr');
    const text = squash(pages[0]!.text);
    expect(text).toContain('current medications');
    expect(text).toContain('lisinopril 10 mg daily');
    expect(pages[0]!.image?.data.byteLength).toBeGreaterThan(0);
  });
});
