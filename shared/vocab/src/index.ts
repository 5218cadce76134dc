export { normalizeTerm, ocrFold } from './normalize.ts';
export { TermIndex, type TermMatch, type CompiledTermIndex } from './term-index.ts';
export { loadRxNorm, buildRxNorm, findClinicalDrug, type DrugConcept, type ClinicalDrug, type RxNormLexicon } from './rxnorm.ts';
export { loadCvx, buildCvx, type Vaccine, type CvxTable } from './cvx.ts';
export { loadLoincScreenings, type LoincScreenings, type ScreeningCode, type ScreeningTypeName } from './loinc.ts';
export { DRUG_SYNONYMS, VACCINE_SYNONYMS, KNOWN_INGREDIENT_RXCUI } from './synonyms.ts';
export { lazy, readDataFile, readDataRows } from './data-dir.ts';
export { compileCvx, compileRxNorm, compiledVocabDir, vocabFingerprint } from './compiled.ts';
