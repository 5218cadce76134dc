import { describe, expect, it } from 'vitest';
import { bundleUi } from './bundle.ts';

describe('the clerk UI bundle', () => {
  it('bundles the TypeScript modules into one browser ES module with no Node imports', async () => {
    const js = await bundleUi();
    expect(js).not.toMatch(/from\s*["']node:/);
    expect(js).not.toMatch(/\brequire\(/);
    // shared/core's definitions are in it (one definition, not a copy): the screening types' enum.
    expect(js).toContain('fecal-occult-blood');
    // zod's locales are tree-shaken away (esbuild kept them: 489 KB).
    expect(js.length).toBeLessThan(250_000);
  });
});
