import type { Session } from './auth/sessions.ts';
import type { Role } from './auth/roles.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a session (login and the OIDC callback only). */
    public?: boolean;
    /** Least role needed; default clerk. */
    role?: Role;
    /** Sent by the UI on its own (lease renewal): does not count as activity for the idle timeout. */
    background?: boolean;
  }
  interface FastifyRequest {
    clerk?: Session & { sessionId: string };
  }
}

/** An error with the HTTP status and a message safe to show (no patient data). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const DOC_ID = /^[0-9a-f]{64}$/;

export function checkDocId(docId: string): string {
  if (!DOC_ID.test(docId)) throw new HttpError(404, 'no such document');
  return docId;
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
