import { MediaType, sha256Hex } from '@intake/core';
import { describe, expect, it } from 'vitest';
import { analyseMessage, defaultLimits, judgeInlineImage, messageIdHash, scanHtml } from './mime.ts';
import { buildMessage, ccda, fhir, heic, jpeg, pdf, png, tiff, zip } from './test-support/fixtures.ts';

const kinds = (a: Awaited<ReturnType<typeof analyseMessage>>) => a.documents.map((d) => [d.fileName, d.kind, d.source]);

describe('analyseMessage: which parts are documents', () => {
  it('takes PDF, TIFF, JPEG, PNG, HEIC, C-CDA and FHIR attachments, by their bytes', async () => {
    const raw = await buildMessage({
      attachments: [
        { filename: 'visit.pdf', content: pdf('visit') },
        { filename: 'fax.tif', content: tiff('fax') },
        { filename: 'photo.jpg', content: jpeg(3000, 4000, 100) },
        { filename: 'scan.png', content: png(2480, 3508, 100) },
        { filename: 'IMG_0001.HEIC', content: heic('phone'), contentType: 'image/heic' },
        { filename: 'ccd.xml', content: ccda('portal'), contentType: 'text/xml' },
        // A portal export with a misleading type: the bytes decide.
        { filename: 'export.txt', content: fhir('portal'), contentType: 'text/plain' },
      ],
    });
    const a = await analyseMessage(raw);
    expect(kinds(a)).toEqual([
      ['visit.pdf', MediaType.pdf, 'attachment'],
      ['fax.tif', MediaType.tiff, 'attachment'],
      ['photo.jpg', MediaType.jpeg, 'attachment'],
      ['scan.png', MediaType.png, 'attachment'],
      ['IMG_0001.HEIC', MediaType.heic, 'attachment'],
      ['ccd.xml', MediaType.ccda, 'attachment'],
      ['export.txt', MediaType.fhir, 'attachment'],
    ]);
    expect(a.documents[0]!.sha256).toBe(sha256Hex(pdf('visit')));
    expect(a.skipped).toEqual([]);
  });

  it('takes the attachments of a forwarded message (message/rfc822), and of one forwarded inside it', async () => {
    const innermost = await buildMessage({ subject: 'lab results', attachments: [{ filename: 'labs.pdf', content: pdf('labs') }] });
    const inner = await buildMessage({
      subject: 'Fwd: records',
      attachments: [
        { filename: 'discharge.pdf', content: pdf('discharge') },
        { filename: 'older.eml', content: innermost, contentType: 'message/rfc822' },
      ],
    });
    const raw = await buildMessage({
      subject: 'Fwd: Fwd: records',
      attachments: [
        { filename: 'cover.pdf', content: pdf('cover') },
        { filename: 'forwarded.eml', content: inner, contentType: 'message/rfc822' },
      ],
    });
    const a = await analyseMessage(raw);
    expect(kinds(a)).toEqual([
      ['cover.pdf', MediaType.pdf, 'attachment'],
      ['discharge.pdf', MediaType.pdf, 'forwarded'],
      ['labs.pdf', MediaType.pdf, 'forwarded'],
    ]);
    expect(a.documents[1]!.part).toMatch(/^\d+(\.\d+)*\/\d/);
  });

  it('stops at the forwarding depth limit and says so', async () => {
    let msg = await buildMessage({ attachments: [{ filename: 'deep.pdf', content: pdf('deep') }] });
    for (let i = 0; i < 4; i++) msg = await buildMessage({ attachments: [{ filename: `f${i}.eml`, content: msg, contentType: 'message/rfc822' }] });
    const a = await analyseMessage(msg);
    expect(a.documents).toEqual([]);
    expect(a.skipped.map((s) => s.code)).toEqual(['forward-too-deep']);
  });

  it('takes inline page photos, leaves out logos, signature images and tracking pixels', async () => {
    const html = `<p>Here is my card</p><img src="cid:page1" width="800"><p>thanks</p>
      <img src="cid:pixel" width="1" height="1">
      <div class="gmail_signature"><p>Testa</p><img src="cid:siglogo"></div>`;
    const raw = await buildMessage({
      html,
      attachments: [
        { filename: 'page1.jpg', content: jpeg(3024, 4032, 40_000), cid: 'page1', contentDisposition: 'inline' },
        { filename: 'pixel.png', content: png(1, 1), cid: 'pixel', contentDisposition: 'inline' },
        // Big enough by size and pixels, but placed in the signature.
        { filename: 'logo-big.png', content: png(1200, 1200, 30_000), cid: 'siglogo', contentDisposition: 'inline' },
        // Small inline image not referenced by the HTML at all (Outlook-style logo).
        { filename: 'image001.png', content: png(180, 60, 2_000), cid: 'image001', contentDisposition: 'inline' },
      ],
    });
    const a = await analyseMessage(raw);
    expect(kinds(a)).toEqual([['page1.jpg', MediaType.jpeg, 'inline']]);
    expect(a.skipped.map((s) => [s.fileName, s.code])).toEqual([
      ['pixel.png', 'tracking-pixel'],
      ['logo-big.png', 'signature-image'],
      ['image001.png', 'inline-logo'],
    ]);
  });

  it('unpacks ZIP archives, nested ones too, leaving out junk and unsupported files', async () => {
    const nested = zip({ 'inner/immunizations.pdf': pdf('imm') });
    const archive = zip({
      'records/visit.pdf': pdf('zip-visit'),
      'records/xray.jpg': jpeg(2000, 2000, 100),
      '__MACOSX/records/._visit.pdf': Buffer.from('junk'),
      'records/notes.docx': Buffer.from('PK-not-really'),
      'records/more.zip': nested,
    });
    const a = await analyseMessage(await buildMessage({ attachments: [{ filename: 'records.zip', content: archive, contentType: 'application/zip' }] }));
    expect(a.documents.map((d) => [d.fileName, d.source])).toEqual([
      ['visit.pdf', 'zip'],
      ['xray.jpg', 'zip'],
      ['immunizations.pdf', 'zip'],
    ]);
    expect(a.documents[2]!.part).toMatch(/records\/more\.zip\/inner\/immunizations\.pdf$/);
    expect(a.skipped.map((s) => [s.fileName, s.code])).toEqual([['notes.docx', 'unsupported-type']]);
  });

  it('enforces the ZIP limits: entries, entry size, total size, nesting depth', async () => {
    const limits = { ...defaultLimits, zip: { maxEntries: 2, maxEntryBytes: 2000, maxTotalBytes: 2500, maxDepth: 1 } };
    const many = zip({ 'a.pdf': pdf('a'), 'b.pdf': pdf('b'), 'c.pdf': pdf('c') });
    const big = zip({ 'big.pdf': Buffer.concat([pdf('big'), Buffer.alloc(5000, 32)]) });
    const deep = zip({ 'level1.zip': zip({ 'level2.pdf': pdf('level2') }) });
    const total = zip({ 'x.pdf': Buffer.concat([pdf('x'), Buffer.alloc(1800, 32)]), 'y.pdf': Buffer.concat([pdf('y'), Buffer.alloc(1800, 32)]) });
    const raw = await buildMessage({
      attachments: [
        { filename: 'many.zip', content: many },
        { filename: 'big.zip', content: big },
        { filename: 'deep.zip', content: deep },
        { filename: 'total.zip', content: total },
      ],
    });
    const a = await analyseMessage(raw, limits);
    expect(a.documents.map((d) => d.fileName)).toEqual(['a.pdf', 'b.pdf', 'x.pdf']);
    const codes = a.skipped.map((s) => [s.fileName, s.code]);
    expect(codes).toContainEqual(['many.zip', 'zip-limit']);
    expect(codes).toContainEqual(['big.pdf', 'zip-limit']);
    expect(codes).toContainEqual(['level1.zip', 'zip-nested-too-deep']);
    // a.pdf, b.pdf and x.pdf used the 2500-byte budget for the whole message: y.pdf does not fit.
    expect(a.skipped.find((s) => s.fileName === 'y.pdf')?.reason).toMatch(/unpack to more than/);
    for (const s of a.skipped) expect(s.reason).toMatch(/ZIP|zip/);
  });

  it('reports password-protected and damaged ZIP entries', async () => {
    const archive = zip({ 'secret.pdf': pdf('secret'), 'open.pdf': pdf('open') });
    // Set the "encrypted" bit of the first entry in the central directory.
    const cd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), archive.indexOf(Buffer.from('open.pdf'), archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))));
    const firstCd = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt16LE(archive.readUInt16LE(firstCd + 8) | 1, firstCd + 8);
    expect(cd).toBeGreaterThan(firstCd);
    const truncated = zip({ 'cut.pdf': pdf('cut') }).subarray(0, 40);
    const raw = await buildMessage({
      attachments: [
        { filename: 'protected.zip', content: archive },
        { filename: 'broken.zip', content: truncated, contentType: 'application/zip' },
      ],
    });
    const a = await analyseMessage(raw);
    expect(a.documents.map((d) => d.fileName)).toEqual(['open.pdf']);
    expect(a.skipped.map((s) => [s.fileName, s.code])).toEqual([
      ['secret.pdf', 'zip-encrypted'],
      ['broken.zip', 'zip-corrupt'],
    ]);
    expect(a.skipped[0]!.reason).toMatch(/password-protected/);
  });

  it('names attachments that have no name, and takes a repeated file once', async () => {
    const raw = await buildMessage({
      attachments: [
        { filename: false, content: pdf('nameless'), contentType: 'application/pdf' },
        { filename: '   ', content: jpeg(2000, 2000, 10), contentType: 'image/jpeg' },
        { filename: 'again.pdf', content: pdf('nameless') },
      ],
    });
    const a = await analyseMessage(raw);
    expect(a.documents.map((d) => [d.fileName, d.nameGenerated])).toEqual([
      ['attachment-1.pdf', true],
      ['attachment-2.jpg', true],
    ]);
    expect(a.skipped.map((s) => s.code)).toEqual(['duplicate-in-message']);
  });

  it('leaves out unsupported types with a reason, and records a message with no attachment', async () => {
    const raw = await buildMessage({
      attachments: [
        { filename: 'letter.docx', content: zip({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.from('<w:document/>') }), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
        { filename: 'winmail.dat', content: Buffer.from('tnef'), contentType: 'application/ms-tnef' },
        { filename: 'invite.ics', content: Buffer.from('BEGIN:VCALENDAR'), contentType: 'text/calendar' },
      ],
    });
    const a = await analyseMessage(raw);
    expect(a.documents).toEqual([]);
    // The .docx is a ZIP by its bytes, reported as the Office document it is, not unpacked.
    expect(a.skipped.map((s) => s.code)).toEqual(['unsupported-type', 'unsupported-type', 'unsupported-type']);
    expect(a.skipped[0]!.reason).toMatch(/Office document/);
    expect(a.skipped[1]!.reason).toMatch(/winmail/);
    const empty = await analyseMessage(await buildMessage({ text: 'I will send them tomorrow.' }));
    expect(empty.documents).toEqual([]);
    expect(empty.skipped).toEqual([]);
  });

  it('takes a file that claims to be a PDF even if its bytes are damaged (the reader quarantines it with a reason)', async () => {
    const a = await analyseMessage(await buildMessage({ attachments: [{ filename: 'scan.pdf', content: Buffer.from('garbage bytes'), contentType: 'application/pdf' }] }));
    expect(a.documents.map((d) => [d.fileName, d.kind])).toEqual([['scan.pdf', 'unknown']]);
  });
});

describe('analyseMessage: hints and bad input', () => {
  it('keeps sender, name, subject, MRN and Message-ID as hints', async () => {
    const raw = await buildMessage({
      from: '"Testa Synthetic" <Testa.Synthetic@Example.TEST>',
      subject: 'Records for new member, MRN: A-1234567',
      messageId: '<ABC.123@example.test>',
      attachments: [{ filename: 'a.pdf', content: pdf('hints') }],
    });
    const a = await analyseMessage(raw);
    expect(a.hints).toEqual({
      senderAddress: 'testa.synthetic@example.test',
      senderName: 'Testa Synthetic',
      subject: 'Records for new member, MRN: A-1234567',
      messageId: '<ABC.123@example.test>',
      mrn: 'A-1234567',
    });
    expect(a.messageIdHash).toBe(messageIdHash('abc.123@example.test'));
    expect(a.replyAddress).toBe('testa.synthetic@example.test');
    expect(a.problems).toEqual([]);
  });

  it('finds an MRN in the body when the subject has none', async () => {
    const a = await analyseMessage(await buildMessage({ subject: 'records', text: 'Hello,\nmy medical record number is 00482913.\nThanks' }));
    expect(a.hints.mrn).toBe('00482913');
  });

  it('survives malformed headers and bad encodings, and says what was wrong', async () => {
    const raw = Buffer.from(
      [
        'From: =?utf-8?B?broken base64?= <<not an address',
        'Subject: =?x-unknown-charset?Q?Records_=FF=FE?=',
        'Date: yesterday-ish',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=x-made-up',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Body with =ZZ bad escapes and \xff\xfe bytes',
        '--b1',
        'Content-Type: application/pdf',
        'Content-Disposition: attachment; filename=""',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(pdf('malformed')).toString('base64').slice(0, -3) + '!!*',
        '--b1--',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const a = await analyseMessage(raw);
    expect(a.documents).toHaveLength(1);
    expect(a.documents[0]!.fileName).toBe('attachment-1.pdf');
    expect(a.problems.map((p) => p.code).sort()).toEqual(['bad-date', 'no-message-id', 'no-sender']);
    expect(a.replyAddress).toBeUndefined();
  });

  it('does not offer a reply address for automatic mail', async () => {
    const a = await analyseMessage(await buildMessage({ headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(a.autoSubmitted).toBe(true);
    expect(a.replyAddress).toBeUndefined();
    const b = await analyseMessage(await buildMessage({ from: 'MAILER-DAEMON@example.test' }));
    expect(b.replyAddress).toBeUndefined();
  });

  it('hashes Message-IDs the same with or without brackets and case', () => {
    expect(messageIdHash('<X@Y>')).toBe(messageIdHash('x@y'));
    expect(messageIdHash('')).toBeUndefined();
  });
});

describe('inline image heuristics', () => {
  const limits = { inlineMinBytes: 20_000, inlineMinPx: 400 };
  it('judges by pixel count, bytes, HTML size and signature position', () => {
    expect(judgeInlineImage({ size: 500_000, pixels: { width: 3000, height: 4000 }, inSignature: false }, limits)).toEqual({ take: true });
    expect(judgeInlineImage({ size: 43, pixels: { width: 1, height: 1 }, inSignature: false }, limits)).toMatchObject({ take: false, code: 'tracking-pixel' });
    expect(judgeInlineImage({ size: 90_000, ref: { cid: 'x', index: 0, width: 1, height: 1 }, inSignature: false }, limits)).toMatchObject({ code: 'tracking-pixel' });
    expect(judgeInlineImage({ size: 90_000, pixels: { width: 300, height: 90 }, inSignature: false }, limits)).toMatchObject({ code: 'inline-logo' });
    expect(judgeInlineImage({ size: 5_000, inSignature: false }, limits)).toMatchObject({ code: 'inline-logo' });
    expect(judgeInlineImage({ size: 900_000, inSignature: true }, limits)).toMatchObject({ code: 'signature-image' });
  });
  it('finds cid images and where the signature starts', () => {
    const s = scanHtml('<img src="cid:A@x" style="width:20px"><p>-- <br>Testa</p><img src=cid:b>');
    expect(s.images.map((i) => [i.cid, i.width])).toEqual([
      ['a@x', 20],
      ['b', undefined],
    ]);
    expect(s.signatureAt).toBeGreaterThan(s.images[0]!.index);
    expect(s.signatureAt).toBeLessThan(s.images[1]!.index);
  });
});
