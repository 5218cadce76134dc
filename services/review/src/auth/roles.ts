import { z } from 'zod';

export const Role = z.enum(['clerk', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

const rank: Record<Role, number> = { clerk: 1, supervisor: 2, admin: 3 };

/** Roles are nested: a supervisor can do what a clerk can, an admin what a supervisor can. */
export function hasRole(actual: Role, needed: Role): boolean {
  return rank[actual] >= rank[needed];
}

/** The highest role named in a list (e.g. an OIDC roles claim), if any. */
export function highestRole(names: unknown): Role | undefined {
  const list = Array.isArray(names) ? names : typeof names === 'string' ? names.split(/[\s,]+/) : [];
  let best: Role | undefined;
  for (const n of list) {
    const parsed = Role.safeParse(typeof n === 'string' ? n.toLowerCase() : n);
    if (parsed.success && (!best || rank[parsed.data] > rank[best])) best = parsed.data;
  }
  return best;
}
