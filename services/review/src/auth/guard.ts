import type { Role } from './roles.ts';
import { credentialOf, type Session, type SessionStore } from './sessions.ts';
import type { LocalAccounts } from './users.ts';

export interface GuardDeps {
  sessions: SessionStore;
  accounts: LocalAccounts;
  /** Local password sessions are valid (no OIDC, or break-glass on). */
  localAllowed: boolean;
}

/**
 * The signed-in person behind a session cookie, or undefined. A local session ends when
 * its account is gone or disabled, when the password changed since sign-in (also a
 * change made by the CLI in another process), and when local sign-in is switched off by
 * configuring OIDC; the role is the account's current one. `touch`: the request counts
 * as activity for the idle timeout.
 */
export async function resolveSession(
  deps: GuardDeps,
  sessionId: string | undefined,
  options: { touch: boolean },
): Promise<(Session & { sessionId: string }) | undefined> {
  if (!sessionId) return undefined;
  const session = await deps.sessions.get(sessionId, options);
  if (!session) return undefined;
  let role: Role = session.role;
  if (session.via === 'local') {
    const account = deps.localAllowed ? await deps.accounts.current(session.username) : undefined;
    const stale =
      !account ||
      account.disabled ||
      (session.credential !== undefined && credentialOf(account.passwordHash) !== session.credential);
    if (stale) {
      await deps.sessions.destroy(sessionId, session.username);
      return undefined;
    }
    role = account.role;
  }
  return { ...session, role, sessionId };
}
