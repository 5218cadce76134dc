import { readContainerRecord } from '@intake/arrivals';
import { MediaType, sha256Hex } from '@intake/core';
import { buildMsg, buildTnef } from '@intake/documents/testing/containers.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits, takeMessage } from './index.ts';
import { buildMessage, nonce, pdf } from './test-support/fixtures.ts';
import { openHarness, quietLogger, type Harness } from './test-support/harness.ts';
import { randomBytes } from 'node:crypto';
import { getObject, bucketOf } from '@intake/arrivals';
import { s3RefreshTokenStore, tokenRecordKey } from './token-store.ts';

// The mail channel with Outlook senders: a winmail.dat (TNEF) and an attached .msg are
// opened and their documents taken in; a C-CDA sent as the message text is taken too.
describe('containers in e-mail', () => {
  let h: Harness;
  const run = nonce();
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes the documents inside a winmail.dat and an attached .msg, and a C-CDA in the message text', async () => {
    const inTnef = pdf(`tnef ${run}`);
    const inMsg = pdf(`msg ${run}`);
    const tnef = buildTnef({ attachments: [{ name: 'labs.pdf', data: inTnef }] });
    const msg = buildMsg({ subject: 'fwd', attachments: [{ name: 'meds.pdf', data: inMsg }] });
    const ccda = `<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="${run}"/></ClinicalDocument>`;
    const raw = await buildMessage({
      messageId: `<containers-${run}@example.test>`,
      text: `My summary is below.\n\n${ccda}\n`,
      attachments: [
        { filename: 'winmail.dat', content: tnef, contentType: 'application/ms-tnef' },
        { filename: 'forwarded.msg', content: msg, contentType: 'application/vnd.ms-outlook' },
      ],
    });
    const deps = { store: h.store, readProducer: h.producer, logger: quietLogger(), limits: defaultLimits, maxAttachmentBytes: 1 << 20, maxMessageBytes: 10 << 20 };
    const { record } = await takeMessage(deps, raw, { account: 'test', path: 'INBOX', uidValidity: '1', uid: 1 });
    expect(record.status).toBe('taken');
    expect(record.documents.map((d) => d.kind).sort()).toEqual([MediaType.ccda, MediaType.msg, MediaType.tnef].sort());
    for (const [inner, container, name] of [
      [inTnef, tnef, 'labs.pdf'],
      [inMsg, msg, 'meds.pdf'],
    ] as const) {
      const [receipt] = await h.store.arrivals.listReceipts(sha256Hex(inner));
      expect(receipt).toMatchObject({ channel: 'email', fileName: name, container: { docId: sha256Hex(container) } });
      expect(receipt!.hints.senderAddress).toBe('testa.synthetic@example.test');
      expect(await h.readJobExists(sha256Hex(inner))).toBe(true);
      expect((await readContainerRecord(h.store, sha256Hex(container)))?.documents).toHaveLength(1);
    }
    const body = record.documents.find((d) => d.kind === MediaType.ccda)!;
    expect(await h.readJobExists(body.docId)).toBe(true);
  });

  it('keeps a rotated refresh token encrypted in the store, readable only with the key', async () => {
    const key = randomBytes(32);
    const tokens = s3RefreshTokenStore(h.store, `acct${run}`, key);
    expect(await tokens.load()).toBeUndefined();
    await tokens.save(`rotated-refresh-${run}`);
    expect(await tokens.load()).toBe(`rotated-refresh-${run}`);
    const stored = await getObject(bucketOf(h.store), tokenRecordKey(`acct${run}`));
    expect(stored?.toString('utf8')).not.toContain(`rotated-refresh-${run}`);
    expect(await s3RefreshTokenStore(h.store, `acct${run}`, randomBytes(32)).load()).toBeUndefined();
  });
});
