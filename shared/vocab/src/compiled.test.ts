import { describe, expect, it } from 'vitest';
import { compileCvx, compileRxNorm, reviveCvx, reviveRxNorm } from './compiled.ts';
import { buildCvx } from './cvx.ts';
import { normalizeTerm } from './normalize.ts';
import { buildRxNorm } from './rxnorm.ts';
import { TermIndex } from './term-index.ts';

/** OCR-like damage of a term: a letter dropped, doubled, swapped for a look-alike, a space lost. */
function variants(term: string, i: number): string[] {
  const at = term.length ? i % term.length : 0;
  const swap: Record<string, string> = { l: '1', i: 'l', m: 'rn', o: '0', s: '5', e: 'c', n: 'h' };
  const c = term[at] ?? '';
  return [
    term,
    term.toUpperCase(),
    term.slice(0, at) + term.slice(at + 1),
    term.slice(0, at) + c + term.slice(at),
    term.slice(0, at) + (swap[c] ?? 'x') + term.slice(at + 1),
    term.replace(' ', ''),
    `${term}s`,
    term.split(' ')[0] ?? term,
  ];
}

function sameLookups<T>(built: TermIndex<T>, revived: TermIndex<T>, terms: string[]): { compared: number; oneEdit: number } {
  let compared = 0;
  let oneEdit = 0;
  terms.forEach((term, i) => {
    for (const q of variants(term, i)) {
      for (const fuzzy of [true, false]) {
        const want = built.lookup(q, fuzzy);
        expect(revived.lookup(q, fuzzy), `${q} fuzzy=${fuzzy}`).toEqual(want);
        compared++;
        if (want?.score === 0.8) oneEdit++;
      }
      expect(revived.isPrefix(normalizeTerm(q))).toBe(built.isPrefix(normalizeTerm(q)));
      expect(revived.has(q)).toBe(built.has(q));
    }
  });
  return { compared, oneEdit };
}

describe('compiled lexicons (the production build’s dist/vocab/)', () => {
  it('RxNorm: every lookup answers as the lexicon built from the table', () => {
    const built = buildRxNorm();
    const revived = reviveRxNorm(JSON.parse(compileRxNorm(buildRxNorm(), 'test')));
    const terms = DRUG_TERMS_SAMPLE(built);
    const { compared, oneEdit } = sameLookups(built.names, revived.names, terms);
    expect(compared).toBeGreaterThan(10_000);
    expect(oneEdit).toBeGreaterThan(500); // the one-edit (delete key) index is exercised
    expect(revived.names.maxWords).toBe(built.names.maxWords);
    expect(revived.ingredientRxcui).toEqual(built.ingredientRxcui);
    expect(revived.clinicalDrugs).toEqual(built.clinicalDrugs);
    expect(revived.ingredientsOf).toEqual(built.ingredientsOf);
    // Read only once compiled.
    expect(() => revived.names.add('newdrug', revived.names.lookup('lisinopril')!.value)).toThrow(/read-only/);
  });

  it('CVX: same lookups, and the index values are the byCode vaccines themselves', () => {
    const built = buildCvx();
    const revived = reviveCvx(JSON.parse(compileCvx(buildCvx(), 'test')));
    const terms = [...built.byCode.values()].flatMap((v) => [v.shortName, v.fullName]).concat(['flu shot', 'Tdap', 'Prevnar 13', 'shingrix']);
    expect(sameLookups(built.names, revived.names, terms).oneEdit).toBeGreaterThan(50);
    expect(revived.byCode).toEqual(built.byCode);
    const flu = revived.names.lookup('Tdap')!.value;
    expect(revived.byCode.get(flu.cvx)).toBe(flu);
  });

  it('a small index with overwrites and capped one-edit lists compiles to the same answers', () => {
    const index = new TermIndex<string>(6);
    const words = ['metformin', 'metfornin', 'metformim', 'netformin', 'metformen', 'metforman', 'lisinopril', 'losartan'];
    words.forEach((w, i) => index.add(w, `v${i}`));
    index.add('metformin', 'override', true);
    const table: string[] = [];
    const revived = TermIndex.fromCompiled(
      index.compile((v) => (table.includes(v) ? table.indexOf(v) : table.push(v) - 1)),
      table,
    );
    sameLookups(index, revived, [...words, 'metfurmin', 'lisinoprll', 'xylophone']);
    expect(revived.lookup('metformin')?.value).toBe('override');
  });
});

/** Every 7th ingredient/brand name the lexicon knows, by asking it for names from the table. */
function DRUG_TERMS_SAMPLE(lex: ReturnType<typeof buildRxNorm>): string[] {
  const names = [...lex.ingredientRxcui.keys()];
  for (const drugs of lex.clinicalDrugs.values()) for (const d of drugs.slice(0, 1)) names.push(d.name);
  return names.filter((_, i) => i % 7 === 0).concat(['HCTZ', 'Tylenol', 'Zestril', 'rnetformin', 'Lisinoprll', 'Simvastatln']);
}
