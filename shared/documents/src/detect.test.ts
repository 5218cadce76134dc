import { describe, expect, it } from 'vitest';
import { MediaType } from '@intake/core';
import sharp from 'sharp';
import { detectMediaType } from './detect.ts';
import { makeFaxTiff, makePdf, renderTextImage } from './testing/fixtures.ts';

describe('detectMediaType', () => {
  it('recognises each format from its bytes', async () => {
    const img = await renderTextImage(['x'], { width: 64, height: 64, fontSize: 20 });
    expect(detectMediaType(makePdf([{ kind: 'blank' }]))).toBe(MediaType.pdf);
    expect(detectMediaType(await makeFaxTiff([img], 196))).toBe(MediaType.tiff);
    expect(detectMediaType(await sharp(img).tiff({ compression: 'lzw' }).toBuffer())).toBe(MediaType.tiff);
    expect(detectMediaType(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe(MediaType.tiff); // big-endian TIFF
    expect(detectMediaType(await sharp(img).jpeg().toBuffer())).toBe(MediaType.jpeg);
    expect(detectMediaType(img)).toBe(MediaType.png);
    expect(detectMediaType(await sharp(img).webp().toBuffer())).toBe(MediaType.webp);
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    expect(detectMediaType(heic)).toBe(MediaType.heic);
    // AVIF shares the container but is not HEIC.
    expect(detectMediaType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypavif\0\0\0\0mif1avif', 'latin1')]))).toBeUndefined();
  });

  it('recognises C-CDA by its root element and FHIR by resourceType', () => {
    const ccda = '\ufeff<?xml version="1.0"?>\n<!-- a comment -->\n<?xml-stylesheet href="cda.xsl"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><id/></ClinicalDocument>';
    expect(detectMediaType(Buffer.from(ccda))).toBe(MediaType.ccda);
    expect(detectMediaType(Buffer.from('<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3"/>'))).toBe(MediaType.ccda);
    expect(detectMediaType(Buffer.from('<?xml version="1.0"?><html><body/></html>'))).toBeUndefined();
    expect(detectMediaType(Buffer.from('{"resourceType": "Bundle", "type": "collection", "entry": []}'))).toBe(MediaType.fhir);
    expect(detectMediaType(Buffer.from('{"id": "1", "resourceType": "Patient"}'))).toBe(MediaType.fhir);
    expect(detectMediaType(Buffer.from('{"name": "not fhir"}'))).toBeUndefined();
  });

  it('ignores what the bytes merely claim to be elsewhere, and rejects unknown or tiny input', () => {
    expect(detectMediaType(new Uint8Array())).toBeUndefined();
    expect(detectMediaType(Buffer.from('PK\x03\x04 a zip file', 'latin1'))).toBeUndefined();
    expect(detectMediaType(Buffer.from('just some text named report.pdf'))).toBeUndefined();
  });
});
