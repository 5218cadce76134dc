import { randomBytes } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * Synthetic files and messages for tests. Every file carries a label (and, where a test
 * needs runs not to collide in a shared Redis, a nonce): no real patient data anywhere.
 * The files are only as real as the mail channel needs (it sniffs headers, it does not
 * render pages); the readers downstream have their own samples.
 */
export const pdf = (label: string) =>
  Buffer.from(`%PDF-1.4\n% synthetic test document: ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

const pad = (bytes: number) => randomBytes(Math.max(0, bytes));

export function png(width: number, height: number, extraBytes = 0): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8;
  ihdr[17] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, pad(extraBytes)]);
}

export function jpeg(width: number, height: number, extraBytes = 0): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, pad(extraBytes), Buffer.from([0xff, 0xd9])]);
}

export const tiff = (label: string) => Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), Buffer.from(`synthetic fax ${label}`), pad(64)]);

export function heic(label: string): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.from(`synthetic photo ${label}`), pad(64)]);
}

export const ccda = (label: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- synthetic ${label} -->\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Continuity of Care Document</title><recordTarget><patientRole><patient><name><given>Testa</given><family>Synthetic</family></name></patient></patientRole></recordTarget></ClinicalDocument>\n`,
  );

export const fhir = (label: string) =>
  Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'collection', id: `synthetic-${label}`, entry: [{ resource: { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'synthetic' } } }] }));

export const zip = (files: Zippable) => Buffer.from(zipSync(files));

export type TestAttachment = {
  filename?: string | false;
  content: Buffer;
  contentType?: string;
  contentDisposition?: 'attachment' | 'inline';
  cid?: string;
};

export async function buildMessage(options: {
  from?: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  date?: Date;
  attachments?: TestAttachment[];
  headers?: Record<string, string>;
}): Promise<Buffer> {
  const composer = new MailComposer({
    from: options.from ?? '"Testa Synthetic" <testa.synthetic@example.test>',
    to: options.to ?? 'records@plan.example.test',
    subject: options.subject ?? 'My records',
    text: options.text ?? 'Please find my records attached.',
    html: options.html,
    messageId: options.messageId ?? `<${randomBytes(8).toString('hex')}@example.test>`,
    date: options.date ?? new Date('2026-11-02T09:30:00Z'),
    headers: options.headers,
    attachments: (options.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      contentDisposition: a.contentDisposition,
      cid: a.cid,
    })),
  });
  return composer.compile().build();
}

export const nonce = () => randomBytes(6).toString('hex');
