import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpMemberLookup, matchMember, rosterFromCsv } from './members.ts';
import { ROSTER_CSV } from './testing/fixtures.ts';

// The HTTP member lookup against a stand-in service on loopback.
describe('HTTP member lookup', () => {
  let server: Server;
  let url: string;
  const requests: { method?: string; url?: string; body: unknown }[] = [];
  const roster = rosterFromCsv(ROSTER_CSV);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body || '{}') as { memberId?: string; query?: { name?: string } };
        requests.push({ method: req.method, url: req.url, body: parsed });
        if (parsed.query?.name === 'fail') {
          res.statusCode = 503;
          return res.end();
        }
        const members = parsed.memberId
          ? roster.filter((m) => m.memberId === parsed.memberId)
          : roster.filter((m) => !parsed.query?.name || parsed.query.name.toLowerCase().includes(m.lastName.toLowerCase()));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ members }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/members/lookup`;
  });
  afterAll(() => {
    server.close();
  });

  it('POSTs the query (no patient data in the URL) and matches the answer', async () => {
    const lookup = new HttpMemberLookup(url);
    const candidates = await lookup.candidates({ name: 'Alice Newman', birthDate: '1970-05-01' });
    expect(candidates.map((m) => m.memberId)).toEqual(['M1001', 'M1003']);
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/members/lookup',
      body: { query: { name: 'Alice Newman', birthDate: '1970-05-01' } },
    });
    expect(
      matchMember({ patient: { name: 'Alice Newman', birthDate: '1970-05-01' }, hints: [], candidates }).suggested?.member
        .memberId,
    ).toBe('M1001');
    expect((await lookup.get('M1002'))?.lastName).toBe('Okafor');
    expect(await lookup.get('M9999')).toBeUndefined();
  });

  it('reports a failing lookup service as an error', async () => {
    await expect(new HttpMemberLookup(url).candidates({ name: 'fail' })).rejects.toThrow(/503/);
  });
});
