/**
 * Failures are classified. A BadInputError is permanent: retrying cannot help, the
 * document goes to quarantine with `reason`, a one-line message a clerk can act on.
 * Anything else is transient and retried with backoff.
 *
 * `reason` must never contain patient data: it is shown in the UI, logged and may be
 * stored in job failure records in Redis.
 */
export type BadInputCode =
  | 'empty'
  | 'unsupported-type'
  | 'corrupt'
  | 'truncated'
  | 'encrypted'
  | 'too-many-pages'
  | 'too-many-pixels'
  | 'too-large'
  | 'timeout'
  | 'no-content'
  | 'other';

export class BadInputError extends Error {
  override readonly name = 'BadInputError';
  constructor(
    readonly code: BadInputCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export function isBadInput(error: unknown): error is BadInputError {
  return error instanceof BadInputError || (error instanceof Error && error.name === 'BadInputError');
}
