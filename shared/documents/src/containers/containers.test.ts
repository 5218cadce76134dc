import { MediaType } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { decodeStructuredText, detectMediaType, structuredAsUtf8 } from '../detect.ts';
import { buildEml, buildMsg, buildTnef } from '../testing/containers.ts';
import { makePdf } from '../testing/fixtures.ts';
import { ccdaInText, openContainer } from './open.ts';
import { readTnef } from './tnef.ts';

const pdf = makePdf([{ kind: 'text', lines: [{ text: 'Medication list', x: 72, y: 72 }] }]);
const pdf2 = makePdf([{ kind: 'text', lines: [{ text: 'Immunization record', x: 72, y: 72 }] }]);
const ccda = '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Summary</title></ClinicalDocument>\n';

describe('containers: saved e-mail, Outlook .msg, winmail.dat', () => {
  it('are recognised from their bytes', () => {
    expect(detectMediaType(buildEml({ attachments: [{ name: 'a.pdf', data: pdf }] }))).toBe(MediaType.eml);
    expect(detectMediaType(buildMsg({ subject: 's', attachments: [{ name: 'a.pdf', data: pdf }] }))).toBe(MediaType.msg);
    expect(detectMediaType(buildTnef({ attachments: [{ name: 'a.pdf', data: pdf }] }))).toBe(MediaType.tnef);
    // Not e-mails: a note that merely has a colon, a key: value list without mail headers.
    expect(detectMediaType(Buffer.from('Note: call the member\n\nthanks'))).toBeUndefined();
    expect(detectMediaType(Buffer.from('Name: A\nDOB: 1970\n\nrest'))).toBeUndefined();
  });

  it('opens a .msg: its attachments with their long names, and the sender', async () => {
    const msg = buildMsg({ subject: 'records', senderName: 'Member Example', senderEmail: 'Member@Example.org', attachments: [{ name: 'discharge summary.pdf', data: pdf }] });
    const out = await openContainer(msg);
    expect(out.kind).toBe(MediaType.msg);
    expect(out.documents.map((d) => [d.fileName, d.mediaType])).toEqual([['discharge summary.pdf', MediaType.pdf]]);
    expect(Buffer.from(out.documents[0]!.bytes).equals(pdf)).toBe(true);
    expect(out.hints).toMatchObject({ subject: 'records', senderName: 'Member Example', senderAddress: 'member@example.org' });
  });

  it('opens a TNEF stream: long file names from the MAPI properties, else the 8.3 title', () => {
    const tnef = buildTnef({ subject: 'fax copies', attachments: [{ name: 'immunizations-2024.pdf', data: pdf }, { name: 'b.pdf', data: pdf2 }] });
    const out = readTnef(tnef);
    expect(out.subject).toBe('fax copies');
    expect(out.attachments.map((a) => a.fileName)).toEqual(['immunizations-2024.pdf', 'b.pdf']);
    expect(readTnef(buildTnef({ attachments: [{ name: 'immunizations-2024.pdf', data: pdf }], longNames: false })).attachments[0]?.fileName).toBe('immuni~1.pdf');
    expect(() => readTnef(tnef.subarray(0, tnef.length - 40))).toThrow(/damaged winmail.dat/);
  });

  it('opens containers inside containers: a winmail.dat and a .msg attached to an e-mail', async () => {
    const tnef = buildTnef({ attachments: [{ name: 'labs.pdf', data: pdf }] });
    const msg = buildMsg({ subject: 'inner', attachments: [{ name: 'shots.pdf', data: pdf2 }] });
    const eml = buildEml({
      attachments: [
        { name: 'winmail.dat', data: tnef, mimeType: 'application/ms-tnef' },
        { name: 'forwarded.msg', data: msg, mimeType: 'application/vnd.ms-outlook' },
        { name: 'notes.docx', data: Buffer.from('PK\u0003\u0004 not really'), mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      ],
    });
    const out = await openContainer(eml);
    expect(out.documents.map((d) => d.fileName)).toEqual(['labs.pdf', 'shots.pdf']);
    expect(out.documents.map((d) => d.part)).toEqual(['2/1', '3/1']);
    expect(out.skipped).toEqual([expect.objectContaining({ part: '4', code: 'unsupported-type', reason: expect.stringMatching(/^Office document is not a supported record type/) })]);
    expect(out.hints).toMatchObject({ senderAddress: 'member@example.org', subject: 'my records' });
  });

  it('takes a C-CDA sent as the message text itself (an unnamed text/plain part)', async () => {
    const eml = buildEml({ body: `Here it is\n${ccda}`, attachments: [] });
    const out = await openContainer(eml);
    expect(out.documents).toHaveLength(1);
    expect(out.documents[0]).toMatchObject({ source: 'body', mediaType: MediaType.ccda, nameGenerated: true });
    expect(ccdaInText('no xml here')).toBeUndefined();
  });

  it('refuses damage with a reason, and lists an empty attachment rather than dropping it', async () => {
    const eml = buildEml({ attachments: [{ name: 'winmail.dat', data: Buffer.from([0x78, 0x9f, 0x3e, 0x22, 1, 0, 2, 9, 9]) }, { name: 'x.pdf', data: Buffer.alloc(0) }] });
    const out = await openContainer(eml);
    expect(out.documents).toEqual([]);
    expect(out.skipped.map((s) => s.code)).toEqual(['corrupt', 'corrupt']);
  });
});

describe('C-CDA by content, whatever the encoding', () => {
  const utf16 = (s: string, be = false) => {
    const le = Buffer.from(s, 'utf16le');
    return Buffer.concat([be ? Buffer.from([0xfe, 0xff]) : Buffer.from([0xff, 0xfe]), be ? Buffer.from(le).swap16() : le]);
  };
  it('UTF-16 with a byte order mark (LE and BE), UTF-16 without one, blank lines before the prolog, windows-1252', () => {
    expect(detectMediaType(utf16(ccda))).toBe(MediaType.ccda);
    expect(detectMediaType(utf16(ccda, true))).toBe(MediaType.ccda);
    expect(detectMediaType(Buffer.from(ccda, 'utf16le'))).toBe(MediaType.ccda);
    expect(detectMediaType(Buffer.from(`\r\n\r\n  \n${ccda}`))).toBe(MediaType.ccda);
    const cp1252 = Buffer.from('<?xml version="1.0" encoding="windows-1252"?><ClinicalDocument><title>Caf\xe9 \x96 note</title></ClinicalDocument>', 'latin1');
    expect(detectMediaType(cp1252)).toBe(MediaType.ccda);
    expect(decodeStructuredText(cp1252)).toContain('Café – note');
    const utf8 = Buffer.from(structuredAsUtf8(cp1252)).toString('utf8');
    expect(utf8).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(utf8).toContain('Café – note');
    expect(Buffer.from(structuredAsUtf8(utf16(ccda, true))).toString('utf8')).toBe(ccda.trimStart());
  });
});
