import type { Logger } from '@intake/config';
import type { Member, MemberDirectory } from '../members.ts';

/** A member by id; a directory that cannot be reached reads as "not known" (logged), never as a failed request. */
export async function findMember(
  deps: { members: MemberDirectory; logger: Logger },
  id: string | undefined,
): Promise<Member | undefined> {
  if (!id) return undefined;
  try {
    return await deps.members.get(id);
  } catch (error) {
    deps.logger.warn({ err: { message: (error as Error).message } }, 'member lookup failed');
    return undefined;
  }
}
