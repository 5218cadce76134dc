import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clerk, seedDocument, startTestEnv, type TestEnv } from './testing/fixtures.ts';

// Without a roster (no MEMBER_ROSTER_CSV, no MEMBER_LOOKUP_URL) the member id can only be
// checked for its form: MEMBER_ID_PATTERN, when the link is made and again on save.
describe('member link without a roster: MEMBER_ID_PATTERN', () => {
  let env: TestEnv;
  let clerk: Clerk;
  beforeAll(async () => {
    env = await startTestEnv({ MEMBER_ROSTER_CSV: '', MEMBER_ID_PATTERN: '^M\\d{4}$' });
    clerk = await Clerk.login(env.url, 'clerk1');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('checks the id against the pattern when the link is made, and refuses a save with an id of the wrong form', async () => {
    const doc = await seedDocument(env.store, { tag: 'pattern' });
    const name = await clerk.post(`/api/documents/${doc}/member/check`, { memberId: 'Alice Newman' });
    expect(name.status).toBe(200);
    expect(name.body).toMatchObject({ verdict: 'invalid-format', directory: 'none', found: false });
    expect((await clerk.post(`/api/documents/${doc}/member/check`, { memberId: 'M12345' })).body.verdict).toBe('invalid-format');
    // The right form: nothing to compare with, so not a match, only not wrong.
    const good = await clerk.post(`/api/documents/${doc}/member/check`, { memberId: 'm1234' });
    expect(good.body).toMatchObject({ verdict: 'partial', fields: { name: 'unknown', birthDate: 'unknown', mrn: 'unknown' } });

    expect((await clerk.post(`/api/documents/${doc}/lease`)).status).toBe(200);
    const record = await clerk.get(`/api/documents/${doc}`);
    const items = record.body.items.map((i: { id: string; item: unknown }) => ({ id: i.id, decision: 'accepted', item: i.item }));
    const bad = await clerk.post(`/api/documents/${doc}/revisions`, { replaces: 0, state: 'in-review', items, memberId: 'Alice Newman' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatch(/MEMBER_ID_PATTERN/);
    expect(await env.store.revisions.latest(doc)).toBeUndefined();
    const ok = await clerk.post(`/api/documents/${doc}/revisions`, { replaces: 0, state: 'approved', items, memberId: 'M1234' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await env.store.revisions.latest(doc)).toMatchObject({ state: 'approved', memberId: 'M1234' });
  });
});
