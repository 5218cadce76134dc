/**
 * Rebuilds shared/vocab/data/ from the reference data in ../../../../shared/data (run by hand:
 * `npx tsx shared/vocab/scripts/build-data.ts`). The shipped files are committed; nothing here runs at
 * run time. RxNorm is trimmed to the rows a text extractor needs (IN, PIN, MIN, BN, SCD, BPCK) and gzipped.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = process.argv[2] ?? join(here, '../../../../shared/data');
const out = join(here, '../data');

const KEEP = new Set(['IN', 'PIN', 'MIN', 'BN', 'SCD', 'BPCK']);
const lines = readFileSync(join(src, 'rxnorm/drugs.tsv'), 'utf8').split('\n');
const kept = [
  '# RxNorm subset (IN, PIN, MIN, BN, SCD, BPCK rows) of shared/data/rxnorm/drugs.tsv. This product uses publicly available data courtesy of the U.S. National Library of Medicine (NLM), National Institutes of Health, Department of Health and Human Services; NLM is not responsible for the product and does not endorse or recommend this or any other product.',
  lines[0],
  ...lines.slice(1).filter((l) => KEEP.has(l.split('\t')[2] ?? '')),
];
writeFileSync(join(out, 'rxnorm.tsv.gz'), gzipSync(kept.join('\n') + '\n', { level: 9 }));
for (const f of ['cvx.xml', 'tradename.xml', 'vac2vg.xml']) copyFileSync(join(src, 'cvx', f), join(out, f));
copyFileSync(join(src, 'loinc-screenings.tsv'), join(out, 'loinc-screenings.tsv'));
console.log(`rxnorm rows kept: ${kept.length - 2}`);
