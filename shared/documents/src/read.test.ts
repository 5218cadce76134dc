import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { BadInputError, MediaType } from '@intake/core';
import { readDocument, type ReadOptions } from './read.ts';
import { closeDefaultOcrPool } from './ocr-default.ts';
import { makeFaxTiff, makePdf, noOcrEngine, pngBomb, renderTextImage } from './testing/fixtures.ts';

const options: ReadOptions = { maxPages: 5, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 10_000, ocr: noOcrEngine };

async function reason(bytes: Uint8Array, opts: Partial<ReadOptions> = {}): Promise<{ code: string; reason: string }> {
  try {
    await readDocument(bytes, { ...options, ...opts });
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    const e = error as BadInputError;
    expect(e.reason).not.toContain('\n');
    return { code: e.code, reason: e.reason };
  }
  throw new Error('expected a BadInputError');
}

const textPage = (t: string) => ({ kind: 'text' as const, lines: [{ text: t, x: 72, y: 72 }] });

describe('readDocument: bad input ends as a reason a clerk can act on, never a crash', () => {
  it('zero bytes', async () => {
    expect(await reason(new Uint8Array())).toEqual({ code: 'empty', reason: expect.stringMatching(/empty file.*send/) });
  });

  it('unsupported type', async () => {
    const r = await reason(Buffer.from('PK\x03\x04 this is a zip archive, not a document', 'latin1'));
    expect(r.code).toBe('unsupported-type');
    expect(r.reason).toMatch(/unsupported file type.*ask for a PDF/);
  });

  it('password-protected PDF', async () => {
    const r = await reason(makePdf([textPage('Confidential results for Jane Example')], { encrypt: true }));
    expect(r).toEqual({ code: 'encrypted', reason: 'password-protected PDF: ask the member for an unprotected copy' });
  });

  it('truncated PDF', async () => {
    const pdf = makePdf([textPage('Page one text here'), textPage('Page two text here')]);
    for (const cut of [0.3, 0.7, 0.95]) expect((await reason(pdf.subarray(0, Math.floor(pdf.length * cut)))).code).toBe('truncated');
  });

  it('corrupt PDF (a header, then garbage)', async () => {
    const r = await reason(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x41), Buffer.from('\n%%EOF\n')]));
    expect(r.code).toBe('corrupt');
    expect(r.reason).toMatch(/damaged PDF/);
  });

  it('reasons carry no document content', async () => {
    const r = await reason(makePdf([textPage('Jane Example DOB 1960-01-02')], { encrypt: true }));
    expect(r.reason).not.toMatch(/Jane|1960/);
  });

  it('too many pages (PDF and TIFF)', async () => {
    const pdf = makePdf(Array.from({ length: 6 }, (_, i) => textPage(`page ${i + 1} of a long document`)));
    expect(await reason(pdf)).toEqual({ code: 'too-many-pages', reason: expect.stringMatching(/6 pages, over the limit of 5.*split/) });
    const img = await renderTextImage(['x'], { width: 200, height: 200, fontSize: 20 });
    const tiff = await makeFaxTiff([img, img, img], 196);
    expect((await reason(tiff, { maxPages: 2 })).code).toBe('too-many-pages');
  });

  it('decompression bombs: a PNG header claiming 100000×100000 pixels', async () => {
    const r = await reason(pngBomb(100_000, 100_000));
    expect(r).toEqual({ code: 'too-many-pixels', reason: expect.stringMatching(/100000×100000 pixels, over the limit of 40000000/) });
  });

  it('decompression bombs: a page over the configured pixel cap (TIFF, JPEG, PDF image)', async () => {
    const img = await renderTextImage(['x'], { width: 1000, height: 1000, fontSize: 20 });
    expect((await reason(await makeFaxTiff([img], 196), { maxPixelsPerPage: 500_000 })).code).toBe('too-many-pixels');
    expect((await reason(await sharp(img).jpeg().toBuffer(), { maxPixelsPerPage: 500_000 })).code).toBe('too-many-pixels');
    const jpeg = await sharp(img).jpeg().toBuffer();
    const pdf = makePdf([{ kind: 'image', jpeg, pixelWidth: 1000, pixelHeight: 1000, channels: 1 }]);
    expect((await reason(pdf, { maxPixelsPerPage: 500_000 })).code).toBe('too-many-pixels');
  });

  it('truncated or corrupt images', async () => {
    const img = await renderTextImage(['Some words on a page'], { width: 800, height: 600, fontSize: 30 });
    const jpeg = await sharp(img).jpeg().toBuffer();
    expect((await reason(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).code).toBe('corrupt');
    const png = await sharp(img).png().toBuffer();
    expect((await reason(png.subarray(0, Math.floor(png.length / 2)))).code).toBe('corrupt');
    const tiff = await sharp(img).tiff({ compression: 'lzw' }).toBuffer();
    expect(['corrupt', 'truncated']).toContain((await reason(tiff.subarray(0, 200))).code);
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(500, 1)]);
    expect(await reason(heic)).toEqual({ code: 'corrupt', reason: expect.stringMatching(/damaged or truncated HEIC image/) });
  });

  it('a TIFF whose page list loops back on itself is corrupt, not a hang', async () => {
    const img = await renderTextImage(['x'], { width: 100, height: 100, fontSize: 20 });
    const tiff = Buffer.from(await sharp(img).tiff({ compression: 'lzw' }).toBuffer());
    const ifd = tiff.readUInt32LE(4);
    tiff.writeUInt32LE(ifd, ifd + 2 + tiff.readUInt16LE(ifd) * 12); // next IFD = itself
    expect(await reason(tiff)).toEqual({ code: 'corrupt', reason: expect.stringMatching(/damaged TIFF \(its page list loops\)/) });
  });

  it('structured documents are not paged: C-CDA and FHIR come back with no pages', async () => {
    const ccda = await readDocument(Buffer.from('<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>'), options);
    expect(ccda).toEqual({ mediaType: MediaType.ccda, pages: [] });
    const fhir = await readDocument(Buffer.from('{"resourceType":"Bundle","entry":[]}'), options);
    expect(fhir).toEqual({ mediaType: MediaType.fhir, pages: [] });
  });

  it('without an engine, uses the lazily created default pool (and a text PDF never reaches OCR)', async () => {
    const pdf = makePdf([textPage('A born-digital letter with a text layer')]);
    const { pages } = await readDocument(pdf, { maxPages: 5, maxPixelsPerPage: 40_000_000, pageTimeoutMs: 10_000, renderImages: false });
    expect(pages[0]).toMatchObject({ method: 'text-layer', text: 'A born-digital letter with a text layer', width: 1275, height: 1650 });
    expect(pages[0]!.image).toBeUndefined();
    await closeDefaultOcrPool();
  });
});

describe('warmUpPdf', () => {
  it('loads pdf.js without a document of ours', async () => {
    const { warmUpPdf } = await import('./pdf.ts');
    await expect(warmUpPdf()).resolves.toBeUndefined();
  });
});
