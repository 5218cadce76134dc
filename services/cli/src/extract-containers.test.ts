import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCoreConfig } from '@intake/config';
import { buildEml, buildMsg } from '@intake/documents/testing/containers.ts';
import { makePdf } from '@intake/documents/testing/fixtures.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPath } from './extract-files.ts';

const pdf = makePdf([{ kind: 'text', lines: [{ text: 'MEDICATIONS', x: 72, y: 72 }, { text: 'Lisinopril 10 mg tablet daily', x: 72, y: 90 }] }]);
const ccda = '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Summary</title></ClinicalDocument>\n';

describe('intake extract on a container', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-cli-containers-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a saved .eml gives one result per document inside, named container/inner', async () => {
    const file = path.join(dir, 'saved.eml');
    await writeFile(file, buildEml({ body: `see below\n${ccda}`, attachments: [{ name: 'meds.pdf', data: pdf, mimeType: 'application/pdf' }, { name: 'x.docx', data: Buffer.from('PK\u0003\u0004 doc') }] }));
    const got = await extractPath(file, loadCoreConfig({}));
    expect(got.container).toBe(true);
    expect(got.results.map((r) => [r.source.file, r.source.mediaType])).toEqual([
      ['saved.eml/body.xml', 'application/hl7-cda+xml'],
      ['saved.eml/meds.pdf', 'application/pdf'],
    ]);
    expect(got.results[1]!.items.some((i) => i.kind === 'medication' && /lisinopril/i.test(i.display))).toBe(true);
    expect(got.leftOut).toEqual([expect.stringMatching(/^part 3 \(x\.docx\) left out: Office document is not a supported record type/)]);
  });

  it('an Outlook .msg too; a plain document is one result', async () => {
    const msg = path.join(dir, 'saved.msg');
    await writeFile(msg, buildMsg({ subject: 's', attachments: [{ name: 'meds.pdf', data: pdf }] }));
    expect((await extractPath(msg, loadCoreConfig({}))).results.map((r) => r.source.file)).toEqual(['saved.msg/meds.pdf']);
    const plain = path.join(dir, 'meds.pdf');
    await writeFile(plain, pdf);
    expect(await extractPath(plain, loadCoreConfig({}))).toMatchObject({ container: false, results: [{ source: { file: 'meds.pdf' } }] });
  });
});
