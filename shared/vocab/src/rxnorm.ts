import { compiledRxNorm } from './compiled.ts';
import { lazy, readDataFile } from './data-dir.ts';
import { normalizeTerm } from './normalize.ts';
import { DRUG_SYNONYMS, KNOWN_INGREDIENT_RXCUI } from './synonyms.ts';
import { TermIndex } from './term-index.ts';

export interface DrugConcept {
  /** Ingredient name(s), lower case; several joined with " / " (RxNorm order). */
  ingredient: string;
  /** RXCUI of the ingredient (single-ingredient drugs) when known. */
  ingredientRxcui?: string;
  /** RXCUI of the matched concept itself (the brand for a BN, the IN for an ingredient). */
  rxcui?: string;
  tty: string;
  /** The name as RxNorm writes it. */
  name: string;
}

export interface ClinicalDrug {
  rxcui: string;
  name: string;
}

export interface RxNormLexicon {
  /** Ingredient, brand, precise-ingredient and synonym names → concept; OCR-tolerant. */
  names: TermIndex<DrugConcept>;
  /** Normalised ingredient name → its RXCUI. */
  ingredientRxcui: Map<string, string>;
  /** Single-ingredient clinical drugs (SCD) per ingredient, to code "lisinopril 10 mg tablet". */
  clinicalDrugs: Map<string, ClinicalDrug[]>;
  /** Any RXCUI in the table (ingredient, brand, clinical drug) → its ingredient name(s), " / " joined. */
  ingredientsOf: Map<string, string>;
}

/** Finds the SCD whose name carries the given strength ("10 mg") and form word, if unique. */
export function findClinicalDrug(
  lex: RxNormLexicon,
  ingredient: string,
  strength: string | undefined,
  form?: string,
): ClinicalDrug | undefined {
  if (!strength) return undefined;
  const list = lex.clinicalDrugs.get(ingredient.toLowerCase());
  if (!list) return undefined;
  const s = strength
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .replace(/(\d)([A-Z])/g, '$1 $2');
  const hits = list.filter((d) => d.name.toUpperCase().includes(` ${s} `) || d.name.toUpperCase().includes(` ${s}`));
  if (hits.length === 0) return undefined;
  // An extended-release product only where the page says so ("ER", "XL", "24 hr").
  const extended = /\b(?:extended|24 hr|12 hr)\b/i;
  const wantsEr = form?.split(';').includes('extended') ?? false;
  const release = hits.filter((d) => extended.test(d.name) === wantsEr);
  const pool = release.length ? release : wantsEr ? [] : hits;
  if (pool.length === 0) return undefined;
  if (form) {
    // The page's dose forms and routes ("tablet", "injection", "sublingual;spray"), each a set of
    // name words: a concept of another form would contradict the page, so none is chosen then.
    const groups = form
      .toLowerCase()
      .split(';')
      .filter((g) => g !== 'extended')
      .map((g) => g.split('|'));
    const byForm = pool.filter((d) => groups.every((keys) => keys.some((k) => d.name.toLowerCase().includes(k))));
    if (groups.length === 0) return pool.find((d) => /oral tablet$/i.test(d.name)) ?? pool[0];
    if (byForm.length) return byForm.find((d) => /oral/i.test(d.name)) ?? byForm[0];
    return undefined;
  }
  const hitsPool = pool;
  return hitsPool.find((d) => /oral tablet$/i.test(d.name)) ?? hitsPool.find((d) => /oral capsule$/i.test(d.name)) ?? hitsPool[0];
}

/** The RxNorm lexicon: precompiled in a production build (compiled.ts), else built from the table. */
export const loadRxNorm = lazy((): RxNormLexicon => compiledRxNorm() ?? buildRxNorm());

/** Builds the lexicon from data/rxnorm.tsv.gz and the hand-curated synonyms. */
export function buildRxNorm(): RxNormLexicon {
  const text = readDataFile('rxnorm.tsv.gz');
  const names = new TermIndex<DrugConcept>(6, (c) => c.ingredient);
  const ingredientRxcui = new Map<string, string>(Object.entries(KNOWN_INGREDIENT_RXCUI));
  const clinicalDrugs = new Map<string, ClinicalDrug[]>();
  const ingredientSets = new Map<string, Set<string>>();
  const brandIngredients = new Map<string, { name: string; rxcui: string; ingredients: string[] }>();
  const packs = new Map<string, { brand: string; ingredients: Set<string> }>();
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('rxcui\t')) continue;
    rows.push(line.split('\t'));
  }
  // Ingredients first, so their RXCUIs are known when brands and synonyms refer to them.
  for (const [rxcui = '', , tty = '', ingRxcui = '', ingName = ''] of rows) {
    if (tty === 'IN' && ingName) {
      const key = ingName.toLowerCase();
      const code = rxcui || ingRxcui;
      if (code && !ingredientRxcui.has(key)) ingredientRxcui.set(key, code);
    }
  }
  for (const [rxcui = '', name = '', tty = '', , ingName = ''] of rows) {
    if (!name) continue;
    const ingredient = (ingName || name).toLowerCase();
    if (rxcui && tty !== 'MIN') {
      const set = ingredientSets.get(rxcui) ?? new Set<string>();
      set.add(ingredient);
      ingredientSets.set(rxcui, set);
    }
    switch (tty) {
      case 'IN':
      case 'PIN': {
        const code = ingredientRxcui.get(ingredient);
        names.add(name, {
          ingredient,
          ...(code ? { ingredientRxcui: code } : {}),
          ...(rxcui || code ? { rxcui: rxcui || code } : {}),
          tty,
          name,
        });
        break;
      }
      case 'MIN':
        names.add(name, { ingredient: name.toLowerCase(), ...(rxcui ? { rxcui } : {}), tty, name });
        break;
      case 'BN': {
        const key = normalizeTerm(name);
        const b = brandIngredients.get(key) ?? { name, rxcui, ingredients: [] };
        if (!b.ingredients.includes(ingredient)) b.ingredients.push(ingredient);
        if (!b.rxcui && rxcui) b.rxcui = rxcui;
        brandIngredients.set(key, b);
        break;
      }
      case 'BPCK': {
        // "{…} Pack [Trinessa 28 Day]": the bracketed brand names the pack.
        const brand = /\[([^\]]+)\]\s*$/.exec(name)?.[1];
        if (!brand || !ingName || ingredient === 'inert ingredients') break;
        const p = packs.get(brand) ?? { brand, ingredients: new Set<string>() };
        p.ingredients.add(ingredient);
        packs.set(brand, p);
        break;
      }
      case 'SCD': {
        if (!rxcui || name.includes(' / ')) break;
        const list = clinicalDrugs.get(ingredient) ?? [];
        list.push({ rxcui, name });
        clinicalDrugs.set(ingredient, list);
        break;
      }
      default:
        break;
    }
  }
  for (const b of brandIngredients.values()) {
    const ings = [...b.ingredients].sort();
    const ingredient = ings.join(' / ');
    const code = ings.length === 1 ? ingredientRxcui.get(ingredient) : undefined;
    names.add(b.name, {
      ingredient,
      ...(code ? { ingredientRxcui: code } : {}),
      ...(b.rxcui ? { rxcui: b.rxcui } : {}),
      tty: 'BN',
      name: b.name,
    });
  }
  for (const p of packs.values()) {
    const ingredient = [...p.ingredients].sort().join(' / ');
    const base = p.brand.replace(/\s+(?:\d+\s*Day|Kit|Pack|Dose Pack|\d+\/\d+)\b.*$/i, '').trim();
    for (const term of new Set([p.brand, `${p.brand} Pack`, base])) names.add(term, { ingredient, tty: 'BPCK', name: p.brand });
  }
  // Hand-curated abbreviations and lay names win over lexicon rows of the same spelling.
  for (const [term, ingredient] of Object.entries(DRUG_SYNONYMS)) {
    const code = ingredient.includes(' / ') ? undefined : ingredientRxcui.get(ingredient);
    names.add(term, { ingredient, ...(code ? { ingredientRxcui: code, rxcui: code } : {}), tty: 'SY', name: term }, true);
  }
  const ingredientsOf = new Map<string, string>();
  for (const [rxcui, set] of ingredientSets) ingredientsOf.set(rxcui, [...set].sort().join(' / '));
  return { names, ingredientRxcui, clinicalDrugs, ingredientsOf };
}
