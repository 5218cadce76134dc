// The review API as the browser calls it: same-origin JSON with the session's CSRF token.
import type { Item, MemberHints, ReviewedItem, ReviewState } from '@intake/core';
import type { Role } from '../auth/roles.ts';

const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
const userMeta = document.querySelector<HTMLMetaElement>('meta[name="user"]');

export const me: { username: string; role: Role } = {
  username: userMeta?.content ?? '',
  role: (userMeta?.dataset.role ?? 'clerk') as Role,
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> & { error?: string },
  ) {
    super(body.error ?? `HTTP ${status}`);
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      'x-csrf-token': csrf,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      accept: 'application/json',
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
    throw new ApiError(401, { error: 'signed out' });
  }
  const data: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok)
    throw new ApiError(
      res.status,
      typeof data === 'object' && data ? (data as Record<string, unknown>) : { error: String(data) },
    );
  return data as T;
}

/** Release a lease as the page goes away (keepalive: the request outlives the page). */
export function releaseLease(docId: string): Promise<unknown> {
  return fetch(`/api/documents/${docId}/lease`, { method: 'DELETE', headers: { 'x-csrf-token': csrf }, keepalive: true }).catch(
    () => undefined,
  );
}

// ---- response shapes (routes/*.ts) ----

export interface QueueRow {
  docId: string;
  stage: string;
  state: ReviewState;
  channel: string;
  receivedAt: string;
  updatedAt: string;
  pages?: number;
  items: number;
  memberId?: string;
  latestRevision: number;
  quarantineReason?: string;
  leaseHolder?: string;
  sender?: string;
  documentType?: string;
  patient?: { name?: string; birthDate?: string; mrn?: string };
  claimedBy?: string;
  [extra: string]: unknown;
}

export interface QueueResponse {
  counts: Record<string, number>;
  total: number;
  documents: QueueRow[];
}

export interface Member {
  memberId: string;
  firstName: string;
  lastName: string;
  birthDate?: string;
  mrn?: string;
}

export interface Candidate {
  member: Member;
  score: number;
  evidence: Record<string, string>;
}

export interface PageInfo {
  page: number;
  width: number;
  height: number;
  image: boolean;
  method: string;
  confidence?: number;
}

export interface RecordResponse {
  docId: string;
  state: ReviewState;
  stage: string;
  quarantineReason?: string;
  intake?: { fileName: string; channel: string; receivedAt: string; size: number; declaredType?: string };
  receipts: { channel: string; receivedAt: string; fileName: string; hints?: MemberHints }[];
  mediaType?: string;
  pages: PageInfo[];
  patient: { name?: string; birthDate?: string; mrn?: string };
  items: ReviewedItem[];
  extracted: boolean;
  latestRevision: number;
  revisions: { revision: number; state: ReviewState; by: string; at: string; note?: string }[];
  memberId?: string;
  member?: Member;
  match: { suggested?: Candidate; candidates: Candidate[]; warnings: string[] };
  directory: string;
  lease: { holder?: string | null; ttlMs: number };
  [extra: string]: unknown;
}

export interface SaveResponse {
  revision: number;
  state: ReviewState;
}

export type { Item, ReviewedItem };
