import { IllegalTransitionError, RetryNotPossibleError, RevisionConflictError } from '@intake/storage';
import { z } from 'zod';
import { HttpError } from './http.ts';
import { WorkflowError } from './workflow.ts';

/** A domain rule said no; `kind` says which family (mapped to an HTTP status in `toHttp`, and only there). */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'forbidden' | 'invalid',
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, forbidden: 403, invalid: 422 };

/** The one mapping of typed errors to HTTP: status and a body safe to show. undefined: not a known error. */
export function toHttp(error: unknown): { status: number; body: Record<string, unknown> } | undefined {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message, ...error.extra } };
  if (error instanceof DomainError) return { status: STATUS[error.kind], body: { error: error.message, ...error.extra } };
  if (error instanceof WorkflowError) return { status: error.status, body: { error: error.message } };
  if (error instanceof IllegalTransitionError) return { status: 409, body: { error: error.message, conflict: 'state' } };
  if (error instanceof RetryNotPossibleError) return { status: 409, body: { error: error.message } };
  if (error instanceof RevisionConflictError) {
    return {
      status: 409,
      body: { error: 'another revision was saved first: reload the record', latest: error.latest, conflict: 'revision' },
    };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: { error: 'invalid request', issues: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    };
  }
  return undefined;
}
