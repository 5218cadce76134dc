import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { layoutLines } from './src/layout.ts';
import { sectionOf, inlineHeading } from './src/sections.ts';
const f = process.argv[2]!;
const sha = createHash('sha256').update(readFileSync(f)).digest('hex');
const p = JSON.parse(readFileSync(`samples/eval/.cache/${sha}.pages.json`, 'utf8'));
for (const l of layoutLines(p.pages, { isHeading: (t) => !!sectionOf(t) || !!inlineHeading(t) })) console.log(l.column, l.gapBefore ? '*' : ' ', l.cells.map((c) => c.text).join(' || '));
import { extractFromPages } from './src/index.ts';
const r = extractFromPages(p.pages, { file: 'x', sha256: 'a'.repeat(64), mediaType: 'x', pages: 1, channel: 'cli' });
for (const i of r.items) { const { evidence, codes, display, ...rest } = i as any; console.log(JSON.stringify(rest)); }
