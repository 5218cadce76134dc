import type { Logger } from '@intake/config';
import type { Patient } from '@intake/core';
import { compare, type Member, type MemberDirectory } from '../members.ts';

export type FieldVerdict = 'match' | 'mismatch' | 'unknown';

export interface MemberCheck {
  memberId: string;
  directory: MemberDirectory['kind'];
  found: boolean;
  fields: { name: FieldVerdict; birthDate: FieldVerdict; mrn: FieldVerdict };
  /**
   * match: every fact both sides state agrees (and at least one is stated); mismatch: one
   * disagrees; partial: nothing disagrees but the name agrees only in part or nothing is
   * stated; not-found: not in the roster; invalid-format: no roster and the id does not have
   * the configured form (MEMBER_ID_PATTERN).
   */
  verdict: 'match' | 'mismatch' | 'partial' | 'not-found' | 'invalid-format';
  member?: Pick<Member, 'memberId' | 'firstName' | 'lastName' | 'birthDate'>;
}

/** Whether a member id has the configured form (used without a roster). */
export function memberIdPattern(pattern: string): RegExp {
  return new RegExp(pattern, 'i');
}

/**
 * The link of a record to a member, checked when it is made: the document's patient (name,
 * birth date, MRN as the document states them) against the member in the directory, field
 * by field. Without a directory only the id's form can be checked.
 */
export async function checkMemberLink(
  deps: { members: MemberDirectory; logger: Logger; memberIdPattern: RegExp },
  input: { memberId: string; patient: Patient },
): Promise<MemberCheck> {
  const { memberId, patient } = input;
  const unknown = { name: 'unknown', birthDate: 'unknown', mrn: 'unknown' } as const;
  if (deps.members.kind === 'none') {
    const ok = deps.memberIdPattern.test(memberId);
    return { memberId, directory: 'none', found: false, fields: { ...unknown }, verdict: ok ? 'partial' : 'invalid-format' };
  }
  let member: Member | undefined;
  try {
    member = await deps.members.get(memberId);
  } catch (error) {
    deps.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
  }
  if (!member) return { memberId, directory: deps.members.kind, found: false, fields: { ...unknown }, verdict: 'not-found' };
  const e = compare(patient, member);
  const fields = {
    name: e.name === 'unknown' ? 'unknown' : e.name === 'different' ? 'mismatch' : 'match',
    birthDate: e.birthDate === 'unknown' ? 'unknown' : e.birthDate === 'same' ? 'match' : 'mismatch',
    mrn: e.mrn === 'unknown' ? 'unknown' : e.mrn === 'same' ? 'match' : 'mismatch',
  } as MemberCheck['fields'];
  const values = Object.values(fields);
  const verdict: MemberCheck['verdict'] = values.includes('mismatch')
    ? 'mismatch'
    : values.includes('match') && (e.name === 'exact' || e.name === 'unknown')
      ? 'match'
      : 'partial';
  return {
    memberId,
    directory: deps.members.kind,
    found: true,
    fields,
    verdict,
    member: { memberId: member.memberId, firstName: member.firstName, lastName: member.lastName, birthDate: member.birthDate },
  };
}
