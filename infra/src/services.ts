/**
 * What each production process is, in one table: the command it runs in the shared image,
 * its size, and the review-store prefixes it may touch. The stack builds one Fargate
 * service and one task role per row; nothing else grants S3 access.
 */

/** Top-level prefixes of the review store (docs/storage.md, shared/storage/src/keys.ts). */
export const PREFIXES = {
  originals: 'raw/documents/',
  rawEmail: 'raw/email/',
  emailRecords: 'email/',
  documents: 'documents/',
  quarantine: 'quarantine/',
  audit: 'audit/',
  /** Containers (.eml, .msg, winmail.dat) and what they held (shared/arrivals). */
  containers: 'containers/',
  /** Page-text fingerprints (shared/arrivals/src/checks.ts; their LSH bands are rows of the review index). */
  fingerprints: 'fingerprints/',
  /** Intake checks: probable duplicates, fax completeness (shared/arrivals/src/checks.ts). */
  checks: 'checks/',
} as const;
export type Prefix = (typeof PREFIXES)[keyof typeof PREFIXES];

/** The fax inbox bucket's prefixes (FAX_DROP_S3_PREFIX, FAX_ARCHIVE_S3_PREFIX). */
export const FAX_INBOX = { incoming: 'incoming/', taken: 'taken/' } as const;

/** Where the store's start-up probe writes and deletes one object (shared/storage ObjectStore.open). */
export const PROBE_PREFIX = '.probe/';

export interface StoreAccess {
  /** GetObject (and HeadObject) under these prefixes. */
  read: Prefix[];
  /**
   * PutObject under these prefixes. No service may delete: originals and revisions are
   * write-once. Every service that moves a document writes its audit event (a state
   * transition is audited); the bucket policy forbids deleting under audit/.
   */
  write: Prefix[];
}

export type ServiceName = 'review' | 'read-worker' | 'extract-worker' | 'fax-drop' | 'imap-listener' | 'queue-metrics';

export interface ServiceSpec {
  name: ServiceName;
  /** The workspace whose src/main.ts the process runs (the image runs its production build). */
  command: string[];
  cpu: number;
  memoryMiB: number;
  store: StoreAccess;
  /** Needs the PostgreSQL index. */
  database: boolean;
  /** Fixed task count; the read worker is scaled on queue depth between `scaling.min` and `scaling.max` instead. */
  desiredCount: number;
}

const node = (entry: string) => ['node', '--enable-source-maps', `dist/${entry}.js`];

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'review',
    command: node('review'),
    cpu: 512,
    memoryMiB: 1024,
    // Clerks read documents and originals, write revisions/status, retry quarantined
    // documents (quarantine records are updated, not removed) and append audit events.
    store: {
      read: [
        PREFIXES.originals,
        PREFIXES.documents,
        PREFIXES.quarantine,
        PREFIXES.audit,
        PREFIXES.emailRecords,
        PREFIXES.checks,
        PREFIXES.containers,
      ],
      write: [PREFIXES.documents, PREFIXES.quarantine, PREFIXES.audit],
    },
    database: true,
    desiredCount: 2,
  },
  {
    name: 'read-worker',
    command: node('read-worker'),
    cpu: 2048,
    memoryMiB: 4096,
    // Reads pages; a container that reaches it is unpacked through the intake step (new
    // originals); runs the intake checks (fingerprints, probable duplicates) after each read.
    store: {
      read: [
        PREFIXES.originals,
        PREFIXES.documents,
        PREFIXES.quarantine,
        PREFIXES.containers,
        PREFIXES.fingerprints,
        PREFIXES.checks,
      ],
      write: [
        PREFIXES.originals,
        PREFIXES.documents,
        PREFIXES.quarantine,
        PREFIXES.audit,
        PREFIXES.containers,
        PREFIXES.fingerprints,
        PREFIXES.checks,
      ],
    },
    database: true,
    desiredCount: 1,
  },
  {
    name: 'extract-worker',
    command: node('extract-worker'),
    cpu: 1024,
    memoryMiB: 2048,
    store: {
      read: [PREFIXES.originals, PREFIXES.documents, PREFIXES.quarantine],
      write: [PREFIXES.documents, PREFIXES.quarantine, PREFIXES.audit],
    },
    database: true,
    desiredCount: 1,
  },
  {
    name: 'fax-drop',
    command: node('fax-drop'),
    cpu: 256,
    memoryMiB: 512,
    store: {
      read: [PREFIXES.originals, PREFIXES.documents, PREFIXES.quarantine, PREFIXES.containers],
      write: [PREFIXES.originals, PREFIXES.documents, PREFIXES.quarantine, PREFIXES.audit, PREFIXES.containers],
    },
    database: true,
    desiredCount: 1,
  },
  {
    name: 'imap-listener',
    command: node('imap-listener'),
    cpu: 512,
    memoryMiB: 1024,
    store: {
      read: [
        PREFIXES.originals,
        PREFIXES.rawEmail,
        PREFIXES.emailRecords,
        PREFIXES.documents,
        PREFIXES.quarantine,
        PREFIXES.containers,
      ],
      write: [
        PREFIXES.originals,
        PREFIXES.rawEmail,
        PREFIXES.emailRecords,
        PREFIXES.documents,
        PREFIXES.quarantine,
        PREFIXES.audit,
        PREFIXES.containers,
      ],
    },
    database: true,
    // One mailbox, one reader: two listeners would race for the same messages.
    desiredCount: 1,
  },
  {
    name: 'queue-metrics',
    command: node('cli').concat(['metrics']),
    cpu: 256,
    memoryMiB: 512,
    // Counts quarantine records (lists keys, reads none).
    store: { read: [], write: [] },
    database: false,
    desiredCount: 1,
  },
];

/** Prefixes the service may list (ListBucket is granted with an s3:prefix condition). */
export function listPrefixes(spec: ServiceSpec): Prefix[] {
  const all = new Set<Prefix>([...spec.store.read, ...spec.store.write]);
  if (spec.name === 'queue-metrics') all.add(PREFIXES.quarantine);
  return [...all];
}
