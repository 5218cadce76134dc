import { loadCvx, loadLoincScreenings, loadRxNorm, type CvxTable, type LoincScreenings, type RxNormLexicon } from '@intake/vocab';

export interface Lexicons {
  rx: RxNormLexicon;
  cvx: CvxTable;
  loinc: LoincScreenings;
}

/** The vocabularies, loaded once per process on first use (the only file reads; extraction itself does no I/O). */
export function lexicons(): Lexicons {
  return { rx: loadRxNorm(), cvx: loadCvx(), loinc: loadLoincScreenings() };
}

/**
 * Words that are RxNorm names (brands, ingredients) but mostly mean something else in a record.
 * A drug mention of one of these needs a strength or a sig next to it.
 */
export const DRUG_STOPWORDS = new Set([
  'today', 'care', 'alert', 'bright', 'daily', 'complete', 'total', 'pain', 'relief', 'sleep', 'cold', 'night', 'day',
  'clear', 'balance', 'control', 'plus', 'one', 'ultra', 'max', 'extra', 'gas', 'ice', 'sun', 'ocean', 'sodium', 'water',
  'oxygen', 'alcohol', 'cocoa', 'sugar', 'salt', 'air', 'all', 'can', 'may', 'will', 'stop', 'here', 'wash', 'plan',
  'aid', 'advance', 'prevent', 'clinic', 'health', 'med', 'meds', 'tab', 'oral', 'normal', 'regular', 'history', 'vital',
  'allergy', 'patient', 'doctor', 'visit', 'hives', 'rash', 'latex', 'dust', 'milk', 'peanut', 'egg', 'eggs', 'fish',
  'shellfish', 'pollen', 'mold', 'cat', 'dog', 'bee', 'soy', 'wheat', 'corn', 'nut', 'nuts', 'lactose', 'gluten',
  'serum', 'blood', 'urea', 'glucose', 'calcium', 'iron', 'potassium', 'magnesium', 'zinc', 'copper', 'iodine', 'honey',
  'lemon', 'orange', 'mint', 'menthol', 'camphor', 'coal', 'tar', 'cotton', 'rice', 'oat', 'oats', 'apple', 'banana',
  'strawberry', 'tomato', 'garlic', 'ginger', 'tea', 'coffee', 'caffeine', 'nicotine', 'tobacco', 'smoking', 'insulin',
  'vitamin', 'vitamins', 'fluoride', 'chlorine', 'silver', 'gold', 'nitrogen', 'helium', 'carbon', 'sulfur', 'lead',
  'mercury', 'nickel', 'tin', 'chromium', 'selenium', 'probiotic', 'fiber', 'protein', 'energy', 'focus', 'calm',
  'restore', 'renew', 'active', 'basic', 'simple', 'natural', 'sensitive', 'advanced', 'original', 'classic', 'fresh',
  'cool', 'soothe', 'comfort', 'cure', 'heal', 'boost', 'defense', 'shield', 'guard', 'block', 'cover', 'fast', 'quick',
  'rapid', 'long', 'lasting', 'strength', 'ready', 'smart', 'pure', 'lite', 'light', 'dark', 'black', 'white', 'blue',
  'red', 'green', 'gold', 'silver', 'prime', 'pro', 'plus', 'senior', 'adult', 'children', 'child', 'kids', 'baby',
  'women', 'men', 'mens', 'womens', 'family', 'home', 'office', 'fax', 'phone', 'date', 'name', 'dose', 'route', 'sig',
  'take', 'use', 'given', 'lot', 'site', 'left', 'right', 'arm', 'deltoid', 'thigh', 'status', 'start', 'end', 'none',
  'unknown', 'other', 'type', 'result', 'results', 'test', 'screen', 'screening', 'exam', 'study', 'report', 'signed',
  'primary', 'provider', 'member', 'record', 'records', 'page', 'of', 'and', 'or', 'the', 'with', 'for', 'to', 'in', 'on',
  'at', 'by', 'as', 'is', 'was', 'be', 'an', 'a', 'no', 'not', 'yes', 'mg', 'ml', 'hfa', 'er', 'xr', 'sr', 'dr', 'md',
  'do', 'np', 'pa', 'rn', 'pharmd', 'medical', 'center', 'group', 'associates', 'hospital', 'street', 'suite', 'road',
  'avenue', 'drive', 'lane', 'boulevard', 'way', 'court', 'place', 'st', 'ave', 'rd', 'blvd', 'ln', 'ct', 'pl',
  'hypertension', 'diabetes', 'asthma', 'depression', 'anxiety', 'migraine', 'obesity', 'allergies', 'influenza',
  'pneumonia', 'sinusitis', 'bronchitis', 'pharyngitis', 'otitis', 'media', 'acute', 'chronic', 'disorder', 'disease',
  'syndrome', 'infection', 'fracture', 'sprain', 'injury', 'cancer', 'tumor', 'polyp', 'polyps', 'mass', 'lesion',
  'anemia', 'thyroid', 'mother', 'father', 'sister', 'brother', 'son', 'daughter', 'wife', 'husband', 'friend',
  'march', 'april', 'may', 'june', 'july', 'august', 'sunday', 'monday', 'friday', 'christmas', 'easter', 'hope',
  'joy', 'grace', 'faith', 'love', 'peace', 'star', 'sky', 'rose', 'lily', 'ivy', 'jade', 'ruby', 'pearl', 'amber',
  'tab', 'tabs', 'tablet', 'tablets', 'capsule', 'capsules', 'cap', 'caps', 'solution', 'cream', 'ointment', 'gel',
  'lotion', 'spray', 'drops', 'patch', 'inhaler', 'injection', 'suspension', 'syrup', 'powder', 'liquid', 'chewable',
  'nasal', 'topical', 'ophthalmic', 'otic', 'vaginal', 'rectal', 'transdermal', 'sublingual', 'buccal', 'every',
  'twice', 'once', 'three', 'times', 'hours', 'hour', 'week', 'weekly', 'month', 'monthly', 'morning', 'evening',
  'bedtime', 'needed', 'prn', 'bid', 'tid', 'qid', 'qd', 'qhs', 'po', 'im', 'iv', 'sc', 'sq', 'sl', 'pr',
  'allergic', 'reaction', 'reactions', 'severe', 'mild', 'moderate', 'swelling', 'itching', 'nausea', 'vomiting',
  'diarrhea', 'headache', 'dizziness', 'cough', 'wheezing', 'anaphylaxis', 'angioedema', 'urticaria', 'sob',
]);
