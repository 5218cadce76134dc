import { createRequire } from 'node:module';

/**
 * Builders of containers for tests: a TNEF stream (winmail.dat), an Outlook .msg (a
 * Compound File written with @kenjiuno/msgreader's burner) and a saved e-mail. Synthetic
 * content only.
 */
export interface FixtureAttachment {
  name: string;
  data: Uint8Array;
  mimeType?: string;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
const pad4 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

function attribute(level: number, id: number, data: Uint8Array): Buffer {
  let sum = 0;
  for (const x of data) sum = (sum + x) & 0xffff;
  return Buffer.concat([Buffer.from([level]), u32(id), u32(data.length), Buffer.from(data), u16(sum)]);
}

const cstr = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/** A TNEF stream: subject and body as message attributes, attachments with a title, data and a long file name in MAPI properties. */
export function buildTnef(options: { subject?: string; body?: string; attachments: FixtureAttachment[]; longNames?: boolean }): Buffer {
  const parts: Buffer[] = [u32(0x223e9f78), u16(0x0001)];
  parts.push(attribute(1, 0x00089006, u32(0x00010000))); // attTnefVersion
  parts.push(attribute(1, 0x00069007, Buffer.concat([u32(1252), u32(0)]))); // attOemCodepage
  parts.push(attribute(1, 0x00078008, cstr('IPM.Microsoft Mail.Note'))); // attMessageClass
  if (options.subject) parts.push(attribute(1, 0x00018004, cstr(options.subject)));
  if (options.body) parts.push(attribute(1, 0x0002800c, Buffer.from(options.body, 'latin1')));
  for (const att of options.attachments) {
    parts.push(attribute(2, 0x00069002, Buffer.alloc(14))); // attAttachRendData: a new attachment
    const short = att.name.length > 12 ? `${att.name.slice(0, 6)}~1${att.name.slice(att.name.lastIndexOf('.'))}` : att.name;
    parts.push(attribute(2, 0x00018010, cstr(short))); // attAttachTitle (8.3 name)
    parts.push(attribute(2, 0x0006800f, att.data)); // attAttachData
    if (options.longNames !== false) {
      const name = Buffer.from(`${att.name}\0`, 'utf16le');
      const props = Buffer.concat([u32(1), u16(0x001f), u16(0x3707), u32(1), u32(name.length), pad4(name)]);
      parts.push(attribute(2, 0x00069005, props)); // attAttachment: PR_ATTACH_LONG_FILENAME
    }
  }
  return Buffer.concat(parts);
}

interface BurnEntry {
  name: string;
  type: number;
  length: number;
  binaryProvider?: () => ArrayLike<number>;
  children?: number[];
}
const { burn } = createRequire(import.meta.url)('@kenjiuno/msgreader/lib/Burner.js') as { burn: (entries: BurnEntry[]) => Uint8Array };
const DIRECTORY = 1;
const DOCUMENT = 2;
const ROOT = 5;

/** An Outlook .msg with a subject, sender, body and attachments. */
export function buildMsg(options: { subject?: string; senderName?: string; senderEmail?: string; body?: string; attachments: FixtureAttachment[] }): Buffer {
  const entries: BurnEntry[] = [{ name: 'Root Entry', type: ROOT, length: 0, children: [] }];
  const addTo = (parent: number, entry: BurnEntry): number => {
    entries.push(entry);
    const index = entries.length - 1;
    entries[parent]!.children!.push(index);
    return index;
  };
  const stream = (parent: number, name: string, data: Uint8Array) => addTo(parent, { name, type: DOCUMENT, length: data.length, binaryProvider: () => Uint8Array.from(data) });
  const unicode = (s: string) => Buffer.from(s, 'utf16le');
  // Top-level property stream: an 32-byte header (counts), no fixed-size properties.
  const header = Buffer.concat([Buffer.alloc(8), u32(0), u32(options.attachments.length), u32(0), u32(options.attachments.length), Buffer.alloc(8)]);
  stream(0, '__properties_version1.0', header);
  if (options.subject) stream(0, '__substg1.0_0037001F', unicode(options.subject));
  if (options.senderName) stream(0, '__substg1.0_0C1A001F', unicode(options.senderName));
  if (options.senderEmail) {
    stream(0, '__substg1.0_0C1F001F', unicode(options.senderEmail));
    stream(0, '__substg1.0_5D01001F', unicode(options.senderEmail));
  }
  if (options.body) stream(0, '__substg1.0_1000001F', unicode(options.body));
  stream(0, '__substg1.0_001A001F', unicode('IPM.Note'));
  options.attachments.forEach((att, i) => {
    const dir = addTo(0, { name: `__attach_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}`, type: DIRECTORY, length: 0, children: [] });
    stream(dir, '__properties_version1.0', Buffer.alloc(8));
    stream(dir, '__substg1.0_3707001F', unicode(att.name));
    stream(dir, '__substg1.0_3704001F', unicode(att.name.slice(0, 12)));
    if (att.mimeType) stream(dir, '__substg1.0_370E001F', unicode(att.mimeType));
    stream(dir, '__substg1.0_37010102', att.data);
  });
  return Buffer.from(burn(entries));
}

/** A saved e-mail with base64 attachments (and an optional plain-text body). */
export function buildEml(options: { from?: string; subject?: string; body?: string; attachments: FixtureAttachment[]; messageId?: string }): Buffer {
  const boundary = 'intake-fixture-boundary';
  const lines = [
    `From: ${options.from ?? 'Member Example <member@example.org>'}`,
    'To: records@plan.example',
    `Subject: ${options.subject ?? 'my records'}`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0000',
    `Message-ID: <${options.messageId ?? 'fixture-1@example.org'}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? 'Please find my records attached.',
  ];
  for (const att of options.attachments) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${att.mimeType ?? 'application/octet-stream'}; name="${att.name}"`,
      `Content-Disposition: attachment; filename="${att.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(Buffer.from(att.data).toString('base64').match(/.{1,76}/g) ?? []),
    );
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'));
}
