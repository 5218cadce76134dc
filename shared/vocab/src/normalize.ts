/** Lower case, ASCII letters/digits and single spaces: the key every lexicon lookup uses. */
export function normalizeTerm(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[®™*]/g, '')
    .replace(/[^a-z0-9%./+-]+/g, ' ')
    .replace(/(^|\s)[./+-]+|[./+-]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Folds the characters OCR confuses most into one form, so "Lisinoprll", "rnetformin" and
 * "1isinopril" land on the same key as the true word. Applied to both sides of a fuzzy lookup.
 */
export function ocrFold(key: string): string {
  return key
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/cl(?=[aeiou])/g, 'd')
    .replace(/[1il|!]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/5/g, 's')
    .replace(/8/g, 'b')
    .replace(/(.)\1+/g, '$1');
}
