import { createHash } from 'node:crypto';

/**
 * Every Redis key the review service writes, under the deployment's INTAKE_QUEUE_PREFIX:
 * `{prefix}:review:{kind}:{id}`. Two deployments (or two test runs) sharing one Redis
 * never see each other's sessions, leases, sign-in counters or OIDC flows.
 */
export class KeySpace {
  constructor(readonly prefix: string) {
    if (!/^[a-zA-Z0-9_-]+$/.test(prefix)) throw new Error('a key prefix is letters, digits, _ and - only');
  }

  key(kind: string, id: string): string {
    return `${this.prefix}:review:${kind}:${id}`;
  }

  /** The pattern of every key of one kind (for SCAN). */
  pattern(kind: string): string {
    return `${this.prefix}:review:${kind}:*`;
  }
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
