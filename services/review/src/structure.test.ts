import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Relative imports of every source file of the review service (tests left out). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        const targets = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) =>
          path.join(path.dirname(file), m[1]!),
        );
        graph.set(
          path.relative(root, file),
          targets.map((t) => path.relative(root, t)),
        );
      }
    }
  };
  walk(root);
  return graph;
}

describe('review service layout', () => {
  it('has no import cycles (type-only imports count too)', () => {
    const graph = importGraph();
    const cycles: string[] = [];
    const done = new Set<string>();
    const stack: string[] = [];
    const visit = (n: string) => {
      if (stack.includes(n)) return void cycles.push([...stack.slice(stack.indexOf(n)), n].join(' → '));
      if (done.has(n)) return;
      done.add(n);
      stack.push(n);
      for (const m of graph.get(n) ?? []) visit(m);
      stack.pop();
    };
    for (const n of graph.keys()) visit(n);
    expect(cycles).toEqual([]);
  });

  it('keeps domain functions free of HTTP', () => {
    for (const [file, targets] of importGraph()) {
      if (!file.startsWith('domain/')) continue;
      expect(readFileSync(path.join(root, file), 'utf8'), file).not.toMatch(/from 'fastify'/);
      expect(
        targets.filter((t) => t.startsWith('routes/') || t === 'server.ts' || t === 'http.ts'),
        file,
      ).toEqual([]);
    }
  });
});
