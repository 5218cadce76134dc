import { loadImapConfig } from '@intake/config';
import { MediaType } from '@intake/core';
import type nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { composeAck, createAcknowledger } from './ack.ts';
import { emailQuarantine } from './take-message.ts';
import { findMrn, buildHints } from './hints.ts';
import { backoffDelay } from './listener.ts';
import { mailboxStateId, reconcileUidValidity } from './mailbox-state.ts';
import { imageDimensions, sniff } from './sniff.ts';
import { ccda, fhir, heic, jpeg, pdf, png, tiff, zip } from './test-support/fixtures.ts';
import { unzip } from './zip.ts';

describe('MRN and hints', () => {
  it.each([
    ['MRN: 12345678', '12345678'],
    ['mrn#A-1234567 thanks', 'A-1234567'],
    ['Medical Record Number 123-45-678', '123-45-678'],
    ['my MRN is 0042913', '0042913'],
    ['MR# 77881', '77881'],
  ])('finds the MRN in %j', (text, mrn) => {
    expect(findMrn(text)).toBe(mrn);
  });
  it.each(['no number here', 'MRN: pending', 'MRN: AB', 'the MRNA vaccine 2021'])('finds none in %j', (text) => {
    expect(findMrn(text)).toBeUndefined();
  });
  it('drops control characters and implausible addresses', () => {
    expect(buildHints({ fromAddress: 'not-an-address', fromName: 'A\u0000B\u202e C', bodyTexts: [] })).toEqual({ senderName: 'A B C' });
  });
});

describe('sniff', () => {
  it('recognises every kind by its bytes', () => {
    expect(sniff(pdf('x'))).toBe(MediaType.pdf);
    expect(sniff(tiff('x'))).toBe(MediaType.tiff);
    expect(sniff(jpeg(10, 10))).toBe(MediaType.jpeg);
    expect(sniff(png(10, 10))).toBe(MediaType.png);
    expect(sniff(heic('x'))).toBe(MediaType.heic);
    expect(sniff(ccda('x'))).toBe(MediaType.ccda);
    expect(sniff(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ccda('x').toString('utf8'), 'utf16le')]))).toBe(MediaType.ccda);
    expect(sniff(fhir('x'))).toBe(MediaType.fhir);
    expect(sniff(zip({ 'a.txt': Buffer.from('a') }))).toBe('application/zip');
    expect(sniff(Buffer.from('<html><body>hi</body></html>'))).toBe('unknown');
    expect(sniff(Buffer.from('{"hello": 1}'))).toBe('unknown');
  });
  it('reads image sizes from headers', () => {
    expect(imageDimensions(png(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(jpeg(3024, 4032, 10))).toEqual({ width: 3024, height: 4032 });
  });
});

describe('unzip', () => {
  const limits = { maxEntries: 10, maxEntryBytes: 10_000, maxTotalBytes: 100_000 };
  it('refuses an entry whose real size exceeds the size it declares (a zip bomb lying in its header)', () => {
    const archive = zip({ 'bomb.pdf': Buffer.alloc(9000, 65) });
    // Declare 100 bytes in the central directory: inflation stops there and the CRC fails.
    const cd = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE(100, cd + 24);
    const out = unzip(archive, limits, { remaining: 100_000 });
    expect(out.entries).toEqual([]);
    expect(out.refused.map((r) => r.code)).toEqual(['corrupt']);
  });
  it('refuses by declared size before inflating anything', () => {
    const out = unzip(zip({ 'big.pdf': Buffer.alloc(20_000, 65) }), limits, { remaining: 100_000 });
    expect(out.refused.map((r) => [r.name, r.code])).toEqual([['big.pdf', 'too-large']]);
  });
  it('reads stored (uncompressed) entries', () => {
    const out = unzip(Buffer.from(require_zipStored()), limits, { remaining: 100_000 });
    expect(out.entries.map((e) => [e.name, Buffer.from(e.bytes).toString()])).toEqual([['s.txt', 'stored']]);
  });
});

function require_zipStored(): Uint8Array {
  return zip({ 's.txt': [Buffer.from('stored'), { level: 0 }] });
}

describe('mailbox state', () => {
  it('keys a mailbox by a hash, never the address', () => {
    const id = mailboxStateId('IMAP.example.test', 993, 'Records@Plan.example.test', 'INBOX');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(mailboxStateId('imap.example.test', 993, 'records@plan.example.test', 'INBOX'));
  });
  it('starts over when UIDVALIDITY changes, keeping the history', () => {
    const first = reconcileUidValidity(undefined, '100');
    expect(first).toMatchObject({ changed: false, state: { uidValidity: '100', lastUid: 0 } });
    first.state.lastUid = 42;
    expect(reconcileUidValidity(first.state, '100').state.lastUid).toBe(42);
    const rebuilt = reconcileUidValidity(first.state, '200');
    expect(rebuilt.changed).toBe(true);
    expect(rebuilt.state).toMatchObject({ uidValidity: '200', lastUid: 0, previous: [{ uidValidity: '100', lastUid: 42 }] });
  });
  it('backs off exponentially with jitter, up to the cap', () => {
    expect(backoffDelay(0, 60_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 60_000, () => 1)).toBe(4000);
    expect(backoffDelay(30, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(30, 60_000, () => 0)).toBe(30_000);
  });
});

describe('acknowledgement', () => {
  it('says how many documents arrived and nothing from the message', async () => {
    const config = loadImapConfig({ IMAP_HOST: 'imap.example.test', IMAP_USER: 'u', IMAP_PASSWORD: 'p', ACK_ENABLED: 'true', SMTP_HOST: 'smtp.example.test', SMTP_FROM: 'records@plan.example.test' });
    const ack = createAcknowledger(config, { streamTransport: true, buffer: true } as Parameters<typeof nodemailer.createTransport>[0]);
    const info = (await ack.send({ to: 'testa.synthetic@example.test', count: 3, receivedAt: new Date('2026-11-02T09:30:00Z'), inReplyTo: '<m1@example.test>' })) as { message: Buffer };
    ack.close();
    const sent = info.message.toString();
    expect(sent).toMatch(/^To: testa\.synthetic@example\.test/m);
    expect(sent).toMatch(/^In-Reply-To: <m1@example\.test>/m);
    expect(sent).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(sent).toContain('We received 3 documents');
    const { subject, text } = composeAck(3, new Date('2026-11-02T09:30:00Z'));
    expect(subject).toBe('We received your e-mail');
    expect(text).toContain('We received 3 documents');
    expect(text).toContain('2026-11-02');
    expect(composeAck(0, new Date()).text).toContain('no documents');
  });
});

describe('ImapEnv', () => {
  it('is off without IMAP_HOST and has safe defaults', () => {
    const c = loadImapConfig({});
    expect(c.IMAP_HOST).toBeUndefined();
    expect(c.IMAP_TLS_REJECT_UNAUTHORIZED).toBe(true);
    expect(c.IMAP_SECURE).toBe(true);
    expect(c.ACK_ENABLED).toBe(false);
    expect(c.IMAP_AFTER_PROCESS).toBe('move');
  });
  it('reports every missing variable at once, without echoing values', () => {
    // Type errors first (zod runs the cross-field checks once every variable parses).
    expect(() => loadImapConfig({ IMAP_HOST: 'h', IMAP_PORT: 'x', ZIP_MAX_DEPTH: '9' })).toThrow(/IMAP_PORT[\s\S]*ZIP_MAX_DEPTH/);
    let message = '';
    try {
      loadImapConfig({ IMAP_HOST: 'h', ACK_ENABLED: 'true', IMAP_PASSWORD: 'synthetic-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of ['IMAP_USER', 'SMTP_HOST', 'SMTP_FROM']) expect(message).toContain(name);
    expect(message).not.toContain('synthetic-secret');
  });
  it('takes an OAuth2 token instead of a password', () => {
    expect(loadImapConfig({ IMAP_HOST: 'outlook.office365.com', IMAP_USER: 'records@plan.example.test', IMAP_ACCESS_TOKEN: 't' }).IMAP_ACCESS_TOKEN).toBe('t');
  });
});

describe('quarantine line for an e-mail', () => {
  it('names the first real reason, counts the rest, and ignores logos', () => {
    expect(emailQuarantine('taken', [
      { code: 'inline-logo', reason: 'small inline image' },
      { code: 'zip-encrypted', reason: 'password-protected file in a ZIP archive: ask the sender for an unprotected copy' },
      { code: 'unsupported-type', reason: 'Office document is not a supported record type' },
    ])).toEqual({ code: 'encrypted', reason: 'e-mail part left out: password-protected file in a ZIP archive: ask the sender for an unprotected copy (and 1 more part left out)' });
    expect(emailQuarantine('no-documents', [{ code: 'tracking-pixel', reason: 'x' }]).code).toBe('no-content');
    expect(emailQuarantine('no-documents', [{ code: 'unsupported-type', reason: 'Office document is not a supported record type' }]).reason).toBe(
      'e-mail with no usable attachment: Office document is not a supported record type',
    );
  });
});
