import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { entryPoints } from '../../scripts/build.ts';
import { repoRoot } from './intake-stack.ts';

// No Docker engine runs where the tests run: compose.yaml is checked as data here, and the
// Dockerfile only for the properties below (it is not built by any test).

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  read_only?: boolean;
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
}

const compose = parse(readFileSync(path.join(repoRoot, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const apps = Object.entries(compose.services).filter(([, s]) => s.image === 'intake:latest');

describe('compose.yaml', () => {
  it('runs Redis, PostgreSQL, MinIO and every service from the one image', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'postgres', 'minio']));
    expect(apps.map(([name]) => name).sort()).toEqual(['extract-worker', 'fax-drop', 'imap-listener', 'read-worker', 'review']);
    const built = Object.keys(entryPoints());
    for (const [name, s] of apps) {
      expect(s.build, name).toBe('.');
      expect(s.read_only, name).toBe(true);
      const entry = /^dist\/(.+)\.js$/.exec(s.command!.at(-1)!)?.[1];
      expect(built, `${name} runs dist/${entry}.js`).toContain(entry);
      expect(s.environment, name).toMatchObject({
        NODE_ENV: 'production',
        INTAKE_REDIS_AUTOSTART: 'false',
        S3_ENDPOINT: 'http://minio:9000',
      });
    }
  });

  it('keeps secrets out of the file and Redis set for BullMQ', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|KMS_SECRET_KEY/.test(key)) expect(value, `${name} ${key}`).toMatch(/^\$\{[A-Z_]+[:?-]/);
      }
    }
    expect(compose.services.redis!.command).toEqual(
      expect.arrayContaining(['--maxmemory-policy', 'noeviction', '--requirepass']),
    );
    expect(compose.services.review!.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(compose.services['imap-listener']!.profiles).toEqual(['mail']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('is multi-stage: the last stage runs the production build as a non-root user with Debian’s tesseract', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/apt-get install[^\n]*tesseract-ocr/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/cli\.js"/m);
    expect(runtime).not.toMatch(/tsx/);
    expect(stages[0]).toMatch(/npm run build/);
  });
});
