/** Development aid: tsx samples/eval/show.ts FILE — the cached page text's extraction result, one item a line. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFromPages } from '@intake/extraction';

const file = process.argv[2]!;
const bytes = readFileSync(file);
const sha = createHash('sha256').update(bytes).digest('hex');
const cache = join(dirname(fileURLToPath(import.meta.url)), '.cache', `${sha}.pages.json`);
const { mediaType, pages } = JSON.parse(readFileSync(cache, 'utf8'));
const r = extractFromPages(pages, { file: basename(file), sha256: sha, mediaType, pages: pages.length, channel: 'cli' });
console.log(JSON.stringify(r.patient));
for (const i of r.items) {
  const x = i as Record<string, unknown>;
  const attrs = ['date', 'strength', 'frequency', 'status', 'reaction', 'result', 'phone']
    .filter((k) => x[k])
    .map((k) => `${k}=${String(x[k])}`);
  console.log(`${i.kind.padEnd(12)} ${i.negated ? '[neg] ' : ''}${i.display}  ${attrs.join(' ')}  (${i.confidence.toFixed(2)})`);
}
