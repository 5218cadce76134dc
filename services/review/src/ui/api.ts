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

export interface UploadOutcome {
  fileName: string;
  docId?: string;
  outcome: 'queued' | 'repeat' | 'quarantined' | 'refused';
  reason?: string;
  documents?: number;
}

/** POST /api/uploads as multipart, reporting the bytes sent (XMLHttpRequest: fetch has no upload progress). */
export function uploadFiles(files: File[], progress: (sent: number, total: number) => void): Promise<UploadOutcome[]> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      const body = (xhr.response ?? {}) as { files?: UploadOutcome[]; error?: string };
      if (xhr.status === 401) location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
      if (xhr.status >= 200 && xhr.status < 300 && body.files) resolve(body.files);
      else reject(new ApiError(xhr.status, body as Record<string, unknown>));
    });
    xhr.addEventListener('error', () => reject(new Error('the upload did not reach the server')));
    xhr.send(form);
  });
}

/** A document's state change or a pipeline job's progress, as GET /api/events sends them (ids and states only). */
export type LiveEvent =
  | { type: 'document'; docId: string; stage: string; state: string; transition: string; pages?: number; supersededBy?: string[] }
  | { type: 'job'; docId: string; step: 'read' | 'extract'; status: 'active' | 'completed' | 'failed' };

/** Follow the live progress stream; returns the function that stops it. */
export function liveEvents(on: (event: LiveEvent) => void, status?: (connected: boolean) => void): () => void {
  const source = new EventSource('/api/events');
  for (const type of ['document', 'job'] as const)
    source.addEventListener(type, (e) => {
      try {
        on({ type, ...(JSON.parse((e as MessageEvent<string>).data) as object) } as LiveEvent);
      } catch {
        // A malformed event is skipped.
      }
    });
  source.addEventListener('ready', () => status?.(true));
  source.addEventListener('error', () => status?.(false));
  return () => source.close();
}

export interface DocumentTypeInfo {
  id: string;
  label: string;
}

let typesCache: Promise<DocumentTypeInfo[]> | undefined;
/** The document types (GET /api/document-types), fetched once per page. */
export function documentTypes(): Promise<DocumentTypeInfo[]> {
  typesCache ??= api<{ types: DocumentTypeInfo[] }>('GET', '/api/document-types').then((r) => r.types);
  typesCache.catch(() => (typesCache = undefined));
  return typesCache;
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
  ageHours?: number;
  overTarget?: boolean;
  documentTypeConfirmed?: boolean;
  mixedPatients?: boolean;
  derivedFrom?: { docId: string; pages: number[] }[];
  [extra: string]: unknown;
}

export interface QueueResponse {
  counts: Record<string, number>;
  total: number;
  turnaroundHours?: number;
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
  /** A view transform, degrees clockwise (boxes stay in the unrotated image's pixels). */
  rotation?: number;
  source?: { docId: string; page: number };
}

export interface IdentityView {
  mixedPatients: boolean;
  pages: { page: number; name?: string; birthDate?: string; mrn?: string }[];
  groups: { pages: number[]; patient: { name?: string; birthDate?: string; mrn?: string } }[];
}

export interface DocumentTypeView {
  value: string | null;
  label?: string;
  suggested?: string | null;
  confirmed: boolean;
  by?: string | null;
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
  identity?: IdentityView;
  documentType?: DocumentTypeView;
  provenance?: { docId: string; pages: number[] }[];
  supersededBy?: string[];
  [extra: string]: unknown;
}

export interface SaveResponse {
  revision: number;
  state: ReviewState;
}

export type { Item, ReviewedItem };
