import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@intake/config';
import { documentId } from '@intake/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaxDrop, fileRef } from './fax-drop.ts';

// A store that is down (every call fails): each file fails on its own, the scan goes on.
const failingStore = new Proxy(
  {},
  {
    get: (_t, prop) =>
      prop === 'then'
        ? undefined
        : new Proxy(async () => Promise.reject(new Error('store unavailable')), { get: () => async () => Promise.reject(new Error('store unavailable')) }),
  },
);

describe('FaxDrop: no head-of-line blocking', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'intake-faxdrop-unit-'));
    await mkdir(path.join(dir, 'in', 'Jane Doe'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('logs each failing file with a file reference and the document id (never its name), and goes on to the next', async () => {
    const inbox = path.join(dir, 'in');
    const files = { [path.join(inbox, 'Jane Doe', 'referral.pdf')]: '%PDF-1.4 first', [path.join(inbox, 'zz-second.tif')]: 'II*\0 second' };
    for (const [file, body] of Object.entries(files)) await writeFile(file, body);
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const logger = {
      error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
      warn: () => {},
      info: () => {},
      child: () => logger,
    } as unknown as Logger;
    const drop = new FaxDrop(
      { dir: inbox, pollMs: 60_000, extensions: ['pdf', 'tif'], maxFileBytes: 1 << 20 },
      { store: failingStore as never, readProducer: failingStore as never, logger },
    );
    await drop.scan();
    await drop.scan(); // stable now: both are tried, both fail, the scan does not stop at the first
    expect(lines).toHaveLength(2);
    const docs = Object.values(files).map((body) => documentId(Buffer.from(body)).slice(0, 12));
    expect(lines.map((l) => l.obj.doc).sort()).toEqual(docs.sort());
    expect(lines.map((l) => l.obj.file).sort()).toEqual(Object.keys(files).map((f) => fileRef(inbox, f)).sort());
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/Jane|referral|second/);
    expect(text).toMatch(/store unavailable/);
    await drop.scan(); // not taken: tried again
    expect(lines).toHaveLength(4);
  });
});
