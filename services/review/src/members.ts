import { readFile } from 'node:fs/promises';
import type { MemberHints, Patient } from '@intake/core';
import { z } from 'zod';

export const Member = z.object({
  memberId: z.string().min(1),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  birthDate: z.string().optional(),
  mrn: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type Member = z.infer<typeof Member>;

export interface MemberQuery {
  text?: string;
  name?: string;
  birthDate?: string;
  mrn?: string;
  email?: string;
  phone?: string;
}

/** Where members come from: a CSV roster or an HTTP lookup service. */
export interface MemberDirectory {
  readonly kind: 'csv' | 'http' | 'none';
  get(memberId: string): Promise<Member | undefined>;
  /** Candidates for a query: the caller scores them. */
  candidates(query: MemberQuery): Promise<Member[]>;
}

// ---- CSV ----

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const COLUMNS: Record<string, keyof Member> = {
  member_id: 'memberId',
  memberid: 'memberId',
  id: 'memberId',
  first_name: 'firstName',
  firstname: 'firstName',
  given: 'firstName',
  last_name: 'lastName',
  lastname: 'lastName',
  family: 'lastName',
  birth_date: 'birthDate',
  birthdate: 'birthDate',
  dob: 'birthDate',
  mrn: 'mrn',
  email: 'email',
  phone: 'phone',
  fax: 'phone',
};

export function rosterFromCsv(text: string): Member[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  const fields = header.map((h) => COLUMNS[h.trim().toLowerCase().replace(/[\s-]/g, '_')]);
  if (!fields.includes('memberId')) throw new Error('member roster CSV: no member_id column');
  const out: Member[] = [];
  for (const row of rows) {
    const raw: Record<string, string> = {};
    fields.forEach((f, i) => {
      const v = row[i]?.trim();
      if (f && v) raw[f] = v;
    });
    const parsed = Member.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export class CsvRoster implements MemberDirectory {
  readonly kind = 'csv' as const;
  private readonly byId: Map<string, Member>;
  constructor(readonly members: Member[]) {
    this.byId = new Map(members.map((m) => [m.memberId, m]));
  }
  static async load(file: string): Promise<CsvRoster> {
    return new CsvRoster(rosterFromCsv(await readFile(file, 'utf8')));
  }
  async get(memberId: string): Promise<Member | undefined> {
    return this.byId.get(memberId);
  }
  async candidates(query: MemberQuery): Promise<Member[]> {
    if (!query.text) return this.members;
    const q = normalize(query.text);
    return this.members.filter((m) =>
      [m.memberId, `${m.firstName} ${m.lastName}`, `${m.lastName} ${m.firstName}`, m.mrn ?? '', m.birthDate ?? '']
        .map(normalize)
        .some((v) => v.includes(q)),
    );
  }
}

/**
 * An HTTP member lookup: `POST {url}` with JSON `{ query }` or `{ memberId }`, answering
 * `{ members: Member[] }`. POST keeps names and birth dates out of URLs and access logs.
 */
export class HttpMemberLookup implements MemberDirectory {
  readonly kind = 'http' as const;
  constructor(
    readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}
  private async post(body: unknown): Promise<Member[]> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`member lookup answered ${res.status}`);
    return z.object({ members: z.array(Member) }).parse(await res.json()).members;
  }
  async get(memberId: string): Promise<Member | undefined> {
    return (await this.post({ memberId })).find((m) => m.memberId === memberId);
  }
  candidates(query: MemberQuery): Promise<Member[]> {
    return this.post({ query });
  }
}

export class NoDirectory implements MemberDirectory {
  readonly kind = 'none' as const;
  async get(): Promise<Member | undefined> {
    return undefined;
  }
  async candidates(): Promise<Member[]> {
    return [];
  }
}

// ---- matching ----

export function normalize(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const digits = (s: string | undefined) => (s ?? '').replace(/\D+/g, '');
const mrnKey = (s: string | undefined) =>
  (s ?? '')
    .replace(/[^0-9a-z]/gi, '')
    .replace(/^0+/, '')
    .toUpperCase();

/** "Newman, Alice B" / "Alice B. Newman" / "Mrs Alice Newman" → { first, last }. */
export function splitName(name: string): { first: string; last: string } {
  const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'jr', 'sr', 'ii', 'iii']);
  if (name.includes(',')) {
    const [last = '', rest = ''] = name.split(',', 2);
    const first =
      normalize(rest)
        .split(' ')
        .filter((t) => !titles.has(t))[0] ?? '';
    return { first, last: normalize(last) };
  }
  const tokens = normalize(name)
    .split(' ')
    .filter((t) => t && !titles.has(t));
  return { first: tokens[0] ?? '', last: tokens.length > 1 ? tokens[tokens.length - 1]! : '' };
}

export interface MatchEvidence {
  name: 'exact' | 'last-and-initial' | 'last-only' | 'different' | 'unknown';
  birthDate: 'same' | 'different' | 'unknown';
  mrn: 'same' | 'different' | 'unknown';
}

/** How the document's patient compares with a member: each fact same, different, or not known. */
export function compare(patient: Patient, member: Member): MatchEvidence {
  let name: MatchEvidence['name'] = 'unknown';
  if (patient.name) {
    const p = splitName(patient.name);
    const last = normalize(member.lastName);
    const first = normalize(member.firstName);
    if (!p.last && !p.first) name = 'unknown';
    else if (p.last === last && p.first === first) name = 'exact';
    else if (p.last === last && p.first && first && p.first[0] === first[0]) name = 'last-and-initial';
    else if (p.last === last || (p.first === last && p.last === first)) name = p.first === last ? 'exact' : 'last-only';
    else name = 'different';
  }
  let birthDate: MatchEvidence['birthDate'] = 'unknown';
  if (patient.birthDate && member.birthDate) {
    const len = Math.min(patient.birthDate.length, member.birthDate.length);
    birthDate = patient.birthDate.slice(0, len) === member.birthDate.slice(0, len) ? 'same' : 'different';
  }
  let mrn: MatchEvidence['mrn'] = 'unknown';
  if (patient.mrn && member.mrn) mrn = mrnKey(patient.mrn) === mrnKey(member.mrn) ? 'same' : 'different';
  return { name, birthDate, mrn };
}

/** 0–100: how sure we are that the document is about this member. */
export function score(e: MatchEvidence): number {
  let s = 0;
  s += { exact: 40, 'last-and-initial': 30, 'last-only': 15, different: -30, unknown: 0 }[e.name];
  s += { same: 35, different: -40, unknown: 0 }[e.birthDate];
  s += { same: 25, different: -15, unknown: 0 }[e.mrn];
  return Math.max(0, Math.min(100, s));
}

/** A sender's hints point at a member: the e-mail address, fax number or an MRN the sender gave. */
export function senderMatches(hints: MemberHints, member: Member): string[] {
  const reasons: string[] = [];
  if (hints.senderAddress && member.email && hints.senderAddress.trim().toLowerCase() === member.email.trim().toLowerCase()) {
    reasons.push('sender e-mail');
  }
  const fax = digits(hints.faxFrom).slice(-10);
  if (fax.length >= 7 && fax === digits(member.phone).slice(-10)) reasons.push('sender fax/phone');
  if (hints.mrn && member.mrn && mrnKey(hints.mrn) === mrnKey(member.mrn)) reasons.push('MRN in message');
  return reasons;
}

export interface MemberCandidate {
  member: Member;
  score: number;
  evidence: MatchEvidence;
  senderReasons: string[];
}

export interface MemberMatch {
  /** The best candidate, when it is good enough to suggest. */
  suggested?: MemberCandidate;
  candidates: MemberCandidate[];
  /** Loud warnings: the document seems to be about someone other than the sender or the linked member. */
  warnings: string[];
}

const SUGGEST_AT = 50;

function describe(e: MatchEvidence): string[] {
  const out: string[] = [];
  if (e.name === 'different') out.push('name differs');
  if (e.birthDate === 'different') out.push('date of birth differs');
  if (e.mrn === 'different') out.push('MRN differs');
  return out;
}

/** A candidate contradicts the document when its name is different or its birth date is. */
export function contradicts(e: MatchEvidence): boolean {
  return e.birthDate === 'different' || e.name === 'different' || (e.mrn === 'different' && e.name !== 'exact');
}

/**
 * Suggest a member for a document from its patient (name, birth date, MRN) and the
 * sender's hints, and flag when the document seems to belong to someone else: the
 * sender is a known member whose demographics contradict the document, or the linked
 * member does.
 */
export function matchMember(input: {
  patient: Patient;
  hints: MemberHints[];
  candidates: Member[];
  linked?: Member;
  linkedId?: string;
}): MemberMatch {
  const { patient } = input;
  const scored: MemberCandidate[] = input.candidates.map((member) => {
    const evidence = compare(patient, member);
    const senderReasons = input.hints.flatMap((h) => senderMatches(h, member));
    const bonus = senderReasons.length > 0 && !contradicts(evidence) ? 15 : 0;
    return { member, evidence, senderReasons: [...new Set(senderReasons)], score: Math.min(100, score(evidence) + bonus) };
  });
  scored.sort((a, b) => b.score - a.score || a.member.memberId.localeCompare(b.member.memberId));
  const warnings: string[] = [];
  const hasDemographics = Boolean(patient.name || patient.birthDate || patient.mrn);
  for (const c of scored.filter((s) => s.senderReasons.length > 0)) {
    if (hasDemographics && contradicts(c.evidence)) {
      warnings.push(
        `Sent by member ${c.member.memberId} (${c.senderReasons.join(', ')}), but the document's patient does not match: ${describe(c.evidence).join(', ')}. It may belong to someone else.`,
      );
    }
  }
  if (input.linked && hasDemographics) {
    const e = compare(patient, input.linked);
    if (contradicts(e)) {
      warnings.push(
        `The linked member ${input.linked.memberId} does not match the document's patient: ${describe(e).join(', ')}.`,
      );
    }
  } else if (input.linkedId && !input.linked) {
    warnings.push(`The linked member id ${input.linkedId} is not in the member roster.`);
  }
  const best = scored[0];
  const suggested = best && best.score >= SUGGEST_AT ? best : undefined;
  if (suggested && scored[1] && scored[1].score === suggested.score) {
    warnings.push('Two or more members match the document equally well: check the member before linking.');
  }
  return { suggested, candidates: scored.filter((c) => c.score > 0 || c.senderReasons.length > 0).slice(0, 10), warnings };
}
