import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CvxTable, Vaccine } from './cvx.ts';
import type { ClinicalDrug, DrugConcept, RxNormLexicon } from './rxnorm.ts';
import { TermIndex, type CompiledTermIndex } from './term-index.ts';

/**
 * The large lexicons precompiled by the production build (`npm run build` → dist/vocab/):
 * parsing the RxNorm table and the CDC's XML files and building their OCR-tolerant
 * indexes takes about half a second per process; reading the compiled form takes a few
 * tens of milliseconds, and needs no XML parser. The build defines
 * `__INTAKE_VOCAB_FINGERPRINT__` (a hash of the data files and of this package's sources)
 * in the bundle and writes the same hash into each file, so a bundle reads only the
 * files built with it; the TypeScript sources (tests, tsx) always build from the data.
 */
declare const __INTAKE_VOCAB_FINGERPRINT__: string | undefined;

/** Where `npm run build` writes the compiled lexicons: the repository's dist/vocab/. */
export const compiledVocabDir = fileURLToPath(new URL('../../../dist/vocab/', import.meta.url));

/** Every file the compiled lexicons are made from: data, and the code that reads it. */
const INPUTS = [
  '../data/rxnorm.tsv.gz',
  '../data/cvx.xml',
  '../data/vac2vg.xml',
  '../data/tradename.xml',
  './compiled.ts',
  './cvx.ts',
  './data-dir.ts',
  './normalize.ts',
  './rxnorm.ts',
  './synonyms.ts',
  './term-index.ts',
];

/** The hash the build stamps on the compiled files and into the bundle (build time only). */
export function vocabFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) hash.update(input).update(readFileSync(new URL(input, import.meta.url)));
  return hash.digest('hex').slice(0, 32);
}

export interface CompiledRxNorm {
  fingerprint: string;
  values: DrugConcept[];
  names: CompiledTermIndex;
  ingredientRxcui: [string, string][];
  clinicalDrugs: [string, ClinicalDrug[]][];
  ingredientsOf: [string, string][];
}

export interface CompiledCvx {
  fingerprint: string;
  vaccines: Vaccine[];
  names: CompiledTermIndex;
}

function numbering<T>(table: T[]): (value: T) => number {
  const ids = new Map<T, number>(table.map((v, i) => [v, i]));
  return (value) => {
    let id = ids.get(value);
    if (id === undefined) {
      id = table.length;
      table.push(value);
      ids.set(value, id);
    }
    return id;
  };
}

export function compileRxNorm(lex: RxNormLexicon, fingerprint: string): string {
  const values: DrugConcept[] = [];
  const out: CompiledRxNorm = {
    fingerprint,
    values,
    names: lex.names.compile(numbering(values)),
    ingredientRxcui: [...lex.ingredientRxcui],
    clinicalDrugs: [...lex.clinicalDrugs],
    ingredientsOf: [...lex.ingredientsOf],
  };
  return JSON.stringify(out);
}

export function compileCvx(table: CvxTable, fingerprint: string): string {
  const vaccines = [...table.byCode.values()];
  const out: CompiledCvx = { fingerprint, vaccines, names: table.names.compile(numbering(vaccines)) };
  return JSON.stringify(out);
}

/** The compiled file `name` when this is a build that made one, else undefined. */
function readCompiled<C extends { fingerprint: string }>(name: string): C | undefined {
  if (typeof __INTAKE_VOCAB_FINGERPRINT__ !== 'string') return undefined;
  let parsed: C;
  try {
    parsed = JSON.parse(readFileSync(`${compiledVocabDir}${name}.json`, 'utf8')) as C;
  } catch {
    return undefined; // not built: the data files are read instead
  }
  return parsed.fingerprint === __INTAKE_VOCAB_FINGERPRINT__ ? parsed : undefined;
}

export function compiledRxNorm(): RxNormLexicon | undefined {
  const c = readCompiled<CompiledRxNorm>('rxnorm');
  return c && reviveRxNorm(c);
}

export function compiledCvx(): CvxTable | undefined {
  const c = readCompiled<CompiledCvx>('cvx');
  return c && reviveCvx(c);
}

/** The lexicon from compileRxNorm's output (parsed). */
export function reviveRxNorm(c: CompiledRxNorm): RxNormLexicon {
  return {
    names: TermIndex.fromCompiled(c.names, c.values, (v) => v.ingredient),
    ingredientRxcui: new Map(c.ingredientRxcui),
    clinicalDrugs: new Map(c.clinicalDrugs),
    ingredientsOf: new Map(c.ingredientsOf),
  };
}

/** The tables from compileCvx's output (parsed). */
export function reviveCvx(c: CompiledCvx): CvxTable {
  return {
    byCode: new Map(c.vaccines.map((v) => [v.cvx, v])),
    names: TermIndex.fromCompiled(c.names, c.vaccines, (v) => v.cvx),
  };
}
