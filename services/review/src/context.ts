import type { Logger, ReviewConfig } from '@intake/config';
import type { ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import type { AuditLog } from './audit.ts';
import type { AnonymousAudit } from './auth/anonymous-audit.ts';
import type { KeySpace } from './auth/keys.ts';
import type { OidcLogin } from './auth/oidc.ts';
import type { LoginRateLimit } from './auth/rate-limit.ts';
import type { Role } from './auth/roles.ts';
import type { SessionStore } from './auth/sessions.ts';
import type { LocalAccounts } from './auth/users.ts';
import type { Leases } from './leases.ts';
import type { MemberDirectory } from './members.ts';

// What every route area and domain function of the review service is handed (built once in server.ts).

export interface ReviewServerDeps {
  config: ReviewConfig;
  store: ReviewStore;
  redis: Redis;
  logger: Logger;
  /** Re-queues a quarantined document (the store's `retried` transition, then its job); `actor` is the clerk. */
  retryDocument: (docId: string, actor: string) => Promise<void>;
  /** Where the bootstrap admin's password is printed once (default: a plain line on stderr, never the JSON log on stdout). */
  print?: (line: string) => void;
  /** Member directory override (tests); default from MEMBER_LOOKUP_URL / MEMBER_ROSTER_CSV. */
  members?: MemberDirectory;
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  role: Role;
}

export interface ReviewContext extends ReviewServerDeps {
  accounts: LocalAccounts;
  sessions: SessionStore;
  leases: Leases;
  audit: AuditLog;
  /** Audit events of requests without a session (failed/blocked sign-ins): capped and summed. */
  anonymousAudit: AnonymousAudit;
  members: MemberDirectory;
  loginLimit: LoginRateLimit;
  oidc?: OidcLogin;
  /** Every Redis key of this deployment: `{INTAKE_QUEUE_PREFIX}:review:…`. */
  keys: KeySpace;
}
