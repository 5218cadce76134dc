import { CodeSystem, type ProviderItem } from '@intake/core';
import { evidence, joinSpans, slice, type TextSpan } from './evidence.ts';
import { round } from './medications.ts';

const CREDENTIAL =
  '(?:M\\.?D\\.?|D\\.?O\\.?|N\\.?P\\.?|F\\.?N\\.?P\\.?(?:-C)?|P\\.?A\\.?(?:-C)?|D\\.?N\\.?P\\.?|R\\.?N\\.?|M\\.?B\\.?B\\.?S\\.?|D\\.?D\\.?S\\.?|D\\.?P\\.?M\\.?|Ph\\.?D\\.?|APRN|ARNP|CNM|FACP|FAAFP|FACC)';
const NAME = "[A-Z][a-zA-Z'’-]+(?:\\s+[A-Z]\\.?(?=\\s))?(?:\\s+[A-Z][a-zA-Z'’-]+){0,2}";
/** "Dr. Jane Q. Smith", "Jane Smith, MD", "SMITH, JANE MD". */
export const PERSON_RE = new RegExp(
  `(?:\\b(?:Dr|Doctor)\\.?\\s+(${NAME})(?:[,;]?\\s+${CREDENTIAL}(?:,\\s*${CREDENTIAL})*)?|\\b(${NAME})[,;]?\\s+${CREDENTIAL}(?:,\\s*${CREDENTIAL})*\\b)`,
);

const PHONE = /(?:\+?1[\s.-]*)?\(?\b(\d{3})\)?[\s.-]*(\d{3})[\s.-]*(\d{4})\b(?:\s*(?:x|ext\.?)\s*\d+)?/;
const FAX_LABEL = /\b(fax|f|facsimile)\s*(?:#|no\.?|number)?\s*[:.]?\s*$/i;
const PHONE_LABEL = /\b(phone|ph|tel|telephone|p|office|cell|main|t)\s*(?:#|no\.?|number)?\s*[:.]?\s*$/i;
const ADDRESS_RE =
  /\b\d{1,6}\s+(?:[A-Z0-9][A-Za-z0-9.'-]*\s+){0,5}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pl|Place|Ct|Court|Pkwy|Parkway|Hwy|Highway|Cir|Circle|Ter|Terrace|Sq|Square|Plaza|Center|Ctr|Trail|Row|Turnpike|Pike)\b\.?(?:,?\s*(?:Suite|Ste|Unit|#|Bldg|Floor|Fl)\.?\s*[\w-]+)?|\b[A-Z][A-Za-z .'-]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\bP\.?\s?O\.?\s+Box\s+\d+/;
const ORG_RE =
  /\b(clinic|medical|medicine|pediatrics|cardiology|family|internal|health|healthcare|hospital|center|centre|associates|practice|group|physicians|partners|llc|inc|p\.?c\.?|pllc|corporation|corp|institute|university|urgent care|specialists|department|dept|services|system|network|care)\b/i;
const ROLE_RE =
  /\b(primary care(?: provider| physician)?|pcp|cardiolog(?:ist|y)|endocrinolog(?:ist|y)|gastroenterolog(?:ist|y)|pulmonolog(?:ist|y)|nephrolog(?:ist|y)|neurolog(?:ist|y)|oncolog(?:ist|y)|dermatolog(?:ist|y)|rheumatolog(?:ist|y)|urolog(?:ist|y)|gynecolog(?:ist|y)|ob\/?gyn|psychiatr(?:ist|y)|orthopedi(?:c|cs|st)|ophthalmolog(?:ist|y)|pediatrician|surgeon|therapist|referring(?: provider| physician)?|attending|specialist|family (?:medicine|physician|practice)|internal medicine|internist|nurse practitioner|physician assistant|podiatr(?:ist|y)|dentist|allerg(?:ist|y))\b/i;

export function formatPhone(text: string): string | undefined {
  const m = PHONE.exec(text);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : undefined;
}

function phonesIn(text: string): { phone?: string; fax?: string } {
  const out: { phone?: string; fax?: string } = {};
  let unlabeled: string | undefined;
  const re = new RegExp(PHONE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 16), m.index);
    // Identifiers are not phone numbers: NPI, MRN, DEA, license, account.
    if (
      /\b(npi|mrn|id|dea|lic(?:ense)?|acct|account|member|policy|tax|ein)\b\W*(?:#|no\.?|number)?\W*$/i.test(before) ||
      // "Group #", not "Lakeside Medical Group (555) …"
      /\bgroup\s*(?:#|no\.?|number|id)\W*$/i.test(before)
    )
      continue;
    const num = `(${m[1]}) ${m[2]}-${m[3]}`;
    if (FAX_LABEL.test(before)) out.fax ??= num;
    else if (PHONE_LABEL.test(before)) out.phone ??= num;
    else unlabeled ??= num;
  }
  if (!out.phone && unlabeled && unlabeled !== out.fax) out.phone = unlabeled;
  return out;
}

/** Phone, fax and street address written in some lines (a letterhead). */
export function contactDetails(lines: TextSpan[]): { phone?: string; fax?: string; address?: string } {
  const text = lines.map((l) => l.text).join(' ; ');
  const out: { phone?: string; fax?: string; address?: string } = phonesIn(text);
  for (const l of lines) {
    const m = ADDRESS_RE.exec(l.text);
    if (m && !out.address)
      out.address = l.text
        .slice(m.index)
        .replace(/\s*(?:phone|ph|tel|fax)\b.*$/i, '')
        .replace(/[,\s|]+$/, '');
  }
  return out;
}

/** Builds a provider from a block of lines: a name line, then organisation, address, phone and fax. */
export function providerFromBlock(lines: TextSpan[], base: number): ProviderItem | undefined {
  if (lines.length === 0) return undefined;
  const first = lines[0]!;
  const pm = PERSON_RE.exec(first.text) ?? plainNameCell(first.text);
  if (!pm) return undefined;
  let rawName = (pm[1] ?? pm[2] ?? '').trim();
  // "Dr. Jane Smith Mercy Hospital": a third capitalised word followed by an organisation word
  // belongs to the organisation.
  const nameWords = rawName.split(/\s+/);
  const after = first.text.slice(pm.index + pm[0].length, pm.index + pm[0].length + 40);
  if (
    nameWords.length >= 3 &&
    /^[\s.,'’A-Za-z]*?\b(medical|hospital|health|clinic|center|centre|associates|regional|memorial|general|community|group|physicians|practice|university|children)\b/i.test(
      after,
    ) &&
    /^[\s'’A-Za-z]*$/.test(
      after.split(
        /\b(?:medical|hospital|health|clinic|center|centre|associates|regional|memorial|general|community|group|physicians|practice|university|children)\b/i,
      )[0] ?? '',
    )
  ) {
    rawName = nameWords.slice(0, 2).join(' ');
  }
  if (!rawName || ORG_RE.test(rawName.split(/\s+/).pop() ?? '')) return undefined;
  const name = /^(?:Dr|Doctor)\b/i.test(pm[0]) ? `Dr. ${rawName}` : pm[0].trim().replace(/\s+/g, ' ');
  const orgOnNameLine =
    rawName !== (pm[1] ?? pm[2] ?? '').trim()
      ? first.text.slice(first.text.indexOf(rawName) + rawName.length).replace(/^[\s.,–—-]+/, '')
      : undefined;
  const all = joinSpans(lines, ' ; ');
  const item: ProviderItem = {
    kind: 'provider',
    name,
    display: all.text.length > 200 ? all.text.slice(0, 200) : all.text,
    codes: [],
    negated: false,
    confidence: round(base * (0.6 + 0.4 * first.confidence)),
    evidence: evidence(all),
  };
  const npi = /\bNPI\s*(?:#|no\.?|number)?\s*[:#]?\s*(\d{10})\b/i.exec(all.text)?.[1];
  if (npi) item.codes = [{ system: CodeSystem.npi, code: npi }];
  const { phone, fax } = phonesIn(all.text);
  if (phone) item.phone = phone;
  if (fax) item.fax = fax;
  const role = ROLE_RE.exec(all.text)?.[1];
  if (role) item.role = role.toLowerCase();
  const addr: string[] = [];
  if (orgOnNameLine) item.organization = orgOnNameLine.split(/\s*[|;]\s*|\s{2,}/)[0]!.replace(/[.,\s]+$/, '');
  for (const l of lines) {
    for (const seg of l.text.split(/\s*[|;]\s*|\s{2,}/)) {
      const s = seg.replace(/^(?:address|addr)\s*:\s*/i, '').trim();
      if (!s) continue;
      const person = PERSON_RE.exec(s);
      const rest = person ? s.slice(person.index + person[0].length).replace(/^[\s,–—-]+/, '') : s;
      if (person && ROLE_RE.test(rest) && rest.replace(ROLE_RE, '').replace(/[\s,()–—-]/g, '').length === 0) continue;
      // "Heart Associates, 400 Oak Ave, ..." → organisation, then address.
      const orgLead = /^([^,\d][^,]{2,60}?),\s*(?=\d)/.exec(rest);
      if (orgLead && ORG_RE.test(orgLead[1]!) && !item.organization) item.organization = orgLead[1]!.trim();
      const addrText = orgLead && ORG_RE.test(orgLead[1]!) ? rest.slice(orgLead[0].length) : rest;
      if (ADDRESS_RE.test(addrText) && !/\b(phone|fax|tel)\b/i.test(addrText.slice(0, 6))) {
        addr.push(addrText.replace(/\s*(?:phone|ph|tel|fax)\b.*$/i, '').replace(/[,\s]+$/, ''));
      } else if (!item.organization && ORG_RE.test(rest.replace(PHONE, ' ')) && rest.length < 100) {
        const org = rest
          .replace(new RegExp(`,?\\s*(?:\\b(?:phone|ph|tel|fax|p|f)\\b\\s*[:.]?\\s*)?${PHONE.source}.*$`, 'i'), '')
          .replace(/^(?:organization|practice|clinic|facility|org)\s*:\s*/i, '')
          // "Dr. Lee (Internal Medicine), Oak Clinic": the specialty in parentheses is the role.
          .replace(/^\(([^)]{2,40})\)\s*[,;–—-]?\s*/, (m, inner: string) => (ROLE_RE.test(inner) ? '' : m))
          .replace(/\s*(?:phone|ph|tel|fax)\b.*$/i, '')
          .trim();
        if (org && ROLE_RE.exec(org)?.[0].toLowerCase() !== org.toLowerCase()) item.organization = org.replace(/[-–—,;\s]+$/, '');
      }
    }
  }
  if (addr.length) item.address = [...new Set(addr)].join(', ');
  return item;
}

const PROSE_PROVIDER = new RegExp(
  `\\b(?:(?:followed|seen|treated|managed|referred)\\s+by|follow(?:-|\\s)?up with|under the care of|(?:pcp|primary care (?:physician|provider|doctor))(?:\\s+is|\\s*:)?|(cardiologist|endocrinologist|gastroenterologist|pulmonologist|nephrologist|neurologist|oncologist|dermatologist|rheumatologist|urologist|gynecologist|psychiatrist|surgeon|ob\\/?gyn|allergist)(?:\\s+is|,)?)\\s+(?:her |his |their )?(?=Dr\\b)`,
  'gi',
);
/** Case-sensitive: a name is capitalised words (the trigger above is matched case-insensitively). */
const PROSE_NAME = new RegExp(`^Dr\\.?\\s+${NAME}`);

/** Clinicians named in prose: "followed by Dr. Jane Roe at Mercy Clinic", "her cardiologist, Dr. Lee". */
export function providersInProse(span: TextSpan, base = 0.7): ProviderItem[] {
  const out: ProviderItem[] = [];
  PROSE_PROVIDER.lastIndex = 0;
  for (let m = PROSE_PROVIDER.exec(span.text); m; m = PROSE_PROVIDER.exec(span.text)) {
    const start = m.index + m[0].length;
    const nm = PROSE_NAME.exec(span.text.slice(start));
    if (!nm) continue;
    const nameText = nm[0].replace(/^Dr\.?\s+/, 'Dr. ');
    const after = span.text.slice(start + nm[0].length);
    const sentenceEnd = after.search(/[.;](?:\s|$)/);
    const end = start + nm[0].length + (sentenceEnd < 0 ? after.length : sentenceEnd);
    const tail = span.text.slice(start + nm[0].length, end);
    const item: ProviderItem = {
      kind: 'provider',
      name: nameText.trim(),
      display: span.text.slice(m.index, end).trim(),
      codes: [],
      negated: false,
      confidence: round(base * (0.6 + 0.4 * span.confidence)),
      evidence: evidence(span, m.index, end),
    };
    const role =
      m[1] ??
      (/pcp|primary care/i.test(m[0]) ? 'primary care' : undefined) ??
      // "Dr. Kim (cardiology)"
      /^\s*\(([^)]{3,40})\)/.exec(tail)?.[1]?.match(ROLE_RE)?.[1];
    if (role) item.role = role.toLowerCase();
    const org =
      /^\s*(?:,\s*)?(?:at|of|with|from)\s+((?:the\s+)?[A-Z][\w'’&.-]*(?:\s+(?:of\s+|&\s+|and\s+)?[A-Z][\w'’&.-]*){0,6})/.exec(
        tail,
      );
    if (org) item.organization = org[1]!.replace(/[.,]+$/, '');
    const { phone, fax } = phonesIn(tail);
    if (phone) item.phone = phone;
    if (fax) item.fax = fax;
    out.push(item);
  }
  return out;
}

/**
 * A care-team table row starting with a bare name ("Jane Smith | PCP | 555-…"): shaped like a
 * PERSON_RE match (group 2 = the name) so the block reader can use it.
 */
function plainNameCell(text: string): RegExpExecArray | null {
  const m = /^\s*([A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'’-]+){1,2})\s*(?:\||,|\s{2,}|\s[-–—]\s|$)/.exec(text);
  if (!m || ORG_RE.test(m[1]!) || ROLE_RE.test(m[1]!) || /\b(Street|Avenue|Road|Suite|Name|Provider|Phone|Fax)\b/.test(m[1]!))
    return null;
  const out = [m[1]!, undefined, m[1]!] as unknown as RegExpExecArray;
  out.index = m.index + m[0].indexOf(m[1]!);
  out.input = text;
  return out;
}

/** Providers in a care-team / provider section: a block per name line. */
export function providersInSection(lines: TextSpan[], base = 0.88): ProviderItem[] {
  const blocks: TextSpan[][] = [];
  for (const l of lines.flatMap(entriesOnLine)) {
    if (/^\s*(name|provider|physician)\b[\s|]+(role|specialty|type|phone|organization|practice)\b/i.test(l.text)) continue;
    if (PERSON_RE.test(l.text) || plainNameCell(l.text) || !blocks.length) blocks.push([l]);
    else blocks[blocks.length - 1]!.push(l);
  }
  return blocks.map((b) => providerFromBlock(b, base)).filter((p): p is ProviderItem => !!p);
}

/**
 * "Fairbanks, Ignatius MD (pulmonology) 406-555-0126 · Kerrigan, Odalys MD (urology) 406-555-0141":
 * several clinicians on one line, between middle dots, bullets or semicolons, each an entry of its own
 * when every part names one.
 */
function entriesOnLine(line: TextSpan): TextSpan[] {
  const parts = [...line.text.matchAll(/[^·•;]+/g)].filter((m) => m[0].trim());
  if (parts.length < 2) return [line];
  if (!parts.every((m) => PERSON_RE.test(m[0]) || plainNameCell(m[0].trim()))) return [line];
  return parts.map((m) => slice(line, m.index, m.index + m[0].length));
}
