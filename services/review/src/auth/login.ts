import type { AuditLog } from '../audit.ts';
import { HttpError } from '../http.ts';
import type { AnonymousAudit } from './anonymous-audit.ts';
import type { LoginRateLimit } from './rate-limit.ts';
import { credentialOf } from './sessions.ts';
import type { LocalAccount, LocalAccounts } from './users.ts';

export interface LocalSignInDeps {
  accounts: LocalAccounts;
  limit: LoginRateLimit;
  audit: AuditLog;
  anonymousAudit: AnonymousAudit;
  /** OIDC configured: local sign-in only with break-glass. */
  oidc: boolean;
  breakGlass: boolean;
}

/** Local password sign-in is allowed: always without OIDC, with OIDC only when break-glass is on. */
export const localSignInAllowed = (deps: Pick<LocalSignInDeps, 'oidc' | 'breakGlass'>) => !deps.oidc || deps.breakGlass;

/**
 * Local sign-in, the same for the form and the JSON API: the attempt is counted (per
 * account and per address, atomically) before the password is verified, so parallel
 * guesses beyond the limit are refused without a password check.
 */
export async function localSignIn(
  deps: LocalSignInDeps,
  address: string,
  typedName: string,
  password: string,
): Promise<{ account: LocalAccount; credential: string; breakGlass: boolean }> {
  if (!localSignInAllowed(deps)) {
    throw new HttpError(403, 'sign in with your organisation (local sign-in is off while OpenID Connect is configured)');
  }
  const name = typedName.trim().toLowerCase();
  const gate = await deps.limit.begin(address, name);
  if (!gate.ok) {
    await deps.anonymousAudit.record(name || '-', 'login.blocked', { ip: address, detail: { scope: gate.scope } });
    throw new HttpError(429, 'too many failed sign-ins: try again later', { retryAfter: gate.retryAfter });
  }
  const account = await deps.accounts.authenticate(name, password);
  if (!account) {
    await deps.anonymousAudit.record(name || '-', 'login.failed', { ip: address });
    throw new HttpError(401, 'wrong user name or password');
  }
  await deps.limit.succeeded(address, name);
  const breakGlass = deps.oidc;
  await deps.audit.record(account.username, 'login', {
    ip: address,
    detail: { via: 'local', ...(breakGlass ? { breakGlass } : {}) },
  });
  return { account, credential: credentialOf(account.passwordHash), breakGlass };
}
