import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, copyFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ingestArrival, type ArrivalOutcome } from '@intake/arrivals';
import type { Logger } from '@intake/config';
import { createHash } from 'node:crypto';
import { documentId, type readDocumentJob } from '@intake/core';
import { detectMediaType } from '@intake/documents/containers';
import type { JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import { DEFAULT_SIDECAR_FIELDS, gatewayHints, parseSidecar, sidecarNames, type GatewayHint } from './sidecar.ts';

export interface FaxDropOptions {
  /** The folder the fax gateway writes into; scanned recursively. */
  dir: string;
  /** Taken files are moved here; unset: left in place (content ids keep re-scans idempotent). */
  archiveDir?: string;
  pollMs: number;
  /**
   * File name endings taken as documents (lower case, no dot), or ['*'] for every file (the
   * reader then quarantines what it cannot read, with a reason). Other files are left in
   * place and reported once in the log (by ending only: names can identify a patient).
   */
  extensions: readonly string[];
  maxFileBytes: number;
  /** Gateway metadata field names per sender hint (FAX_SIDECAR_FIELDS). */
  sidecarFields?: Record<GatewayHint, string[]>;
}

/** A file named in logs without its name (names can identify a patient): a short hash of its path in the drop, and its ending. */
export function fileRef(dir: string, file: string): string {
  const rel = path.relative(dir, file);
  const lower = rel.toLowerCase();
  const ending = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1).slice(0, 12) : '';
  return `${createHash('sha256').update(rel).digest('hex').slice(0, 12)}${ending ? `.${ending}` : ''}`;
}

/** Documents, and containers of documents: a saved e-mail (.eml), an Outlook message (.msg), a winmail.dat (TNEF). */
export const DEFAULT_FAX_EXTENSIONS = ['pdf', 'tif', 'tiff', 'png', 'jpg', 'jpeg', 'webp', 'heic', 'heif', 'xml', 'eml', 'msg', 'dat'] as const;

const SIDECAR = /\.(json|xml)$/i;
/** Files taken at once in a scan. */
const TAKE_CONCURRENCY = 4;

interface Seen {
  size: number;
  mtimeMs: number;
  /** Scans in a row at which size and mtime did not change. */
  stableScans: number;
  taken?: boolean;
}

/**
 * A watched folder. A file is taken only once it has stopped growing (same size and
 * mtime on two consecutive scans), so a gateway still writing it is never read half
 * way. Taking a file: original to S3, receipt, read job (ingestDocument), then the
 * move to the archive. A crash before the move only means the next scan takes it
 * again, which content ids make harmless. Polling (not inotify) also works on the
 * network shares fax gateways often write to.
 */
export class FaxDrop {
  private readonly seen = new Map<string, Seen>();
  private readonly reportedSkips = new Set<string>();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly options: FaxDropOptions,
    private readonly deps: {
      store: ReviewStore;
      readProducer: JobProducer<typeof readDocumentJob.schema>;
      logger: Logger;
      onTaken?: (outcome: ArrivalOutcome) => void;
    },
  ) {}

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    if (this.options.archiveDir) await mkdir(this.options.archiveDir, { recursive: true });
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((error: unknown) => this.deps.logger.error({ err: { message: (error as Error).message } }, 'fax drop scan failed'))
        .finally(() => this.schedule(this.options.pollMs));
    }, ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /** One pass over the folder; exported for tests and for `intake` one-shot runs. */
  async scan(): Promise<void> {
    const files = await this.list(this.options.dir);
    this.flushSkips();
    const present = new Set(files);
    for (const file of this.seen.keys()) if (!present.has(file)) this.seen.delete(file);
    const ready: { file: string; mtime: Date; seen: Seen }[] = [];
    for (const file of files) {
      if (this.stopped) return;
      let info;
      try {
        info = await stat(file);
      } catch {
        continue; // moved or deleted between listing and stat
      }
      const prev = this.seen.get(file);
      if (prev && prev.size === info.size && prev.mtimeMs === info.mtimeMs) {
        prev.stableScans += 1;
      } else {
        this.seen.set(file, { size: info.size, mtimeMs: info.mtimeMs, stableScans: 0 });
        continue;
      }
      if (prev.taken || prev.stableScans < 1) continue;
      if (SIDECAR.test(file) && (await this.isSidecar(file).catch(() => false))) continue; // taken (and archived) with its fax
      ready.push({ file, mtime: info.mtime, seen: prev });
    }
    // A few files at a time (a burst of faxes is queued for reading at once, not one store round-trip after another).
    // Each file on its own: one that fails is logged and tried again next scan; the others go on.
    const takeOne = async (item: { file: string; mtime: Date; seen: Seen }): Promise<void> => {
      const doc: { id?: string } = {};
      try {
        await this.take(item.file, item.mtime, doc);
        item.seen.taken = true;
      } catch (error) {
        const e = error as Error & { code?: string };
        this.deps.logger.error(
          { file: fileRef(this.options.dir, item.file), doc: doc.id?.slice(0, 12), err: { name: e.name, code: e.code, message: e.message } },
          'fax drop could not take a file; it stays in place and is tried again',
        );
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(TAKE_CONCURRENCY, ready.length) }, async () => {
        for (let item = ready.shift(); item && !this.stopped; item = ready.shift()) await takeOne(item);
      }),
    );
  }

  /** A .json/.xml with the base name of another file beside it, that is not a document itself (a C-CDA is one). */
  private async isSidecar(file: string): Promise<boolean> {
    const base = path.basename(file).slice(0, path.basename(file).lastIndexOf('.'));
    const siblings = await readdir(path.dirname(file));
    const hasFax = siblings.some((n) => !SIDECAR.test(n) && n.lastIndexOf('.') > 0 && n.slice(0, n.lastIndexOf('.')) === base);
    if (!hasFax) return false;
    return detectMediaType(await readFile(file)) === undefined;
  }

  /** `doc.id` is set as soon as the file's content id is known (for the failure log line). */
  private async take(file: string, mtime: Date, doc: { id?: string }): Promise<void> {
    const bytes = await readFile(file);
    doc.id = documentId(bytes);
    const rel = path.relative(this.options.dir, file);
    // Gateway metadata: a sidecar beside the fax with the same base name.
    const sidecar = SIDECAR.test(file) ? undefined : sidecarNames(file).find((n) => existsSync(n));
    let gateway: Record<string, string> | undefined;
    if (sidecar) gateway = parseSidecar(await readFile(sidecar)) ?? { 'sidecar.unreadable': path.basename(sidecar) };
    const hints = gateway ? gatewayHints(gateway, this.options.sidecarFields ?? DEFAULT_SIDECAR_FIELDS) : undefined;
    const outcome = await ingestArrival(
      { store: this.deps.store, readProducer: this.deps.readProducer, maxFileBytes: this.options.maxFileBytes },
      { bytes, channel: 'fax', fileName: path.basename(file), receivedAt: mtime, origin: `fax-drop/${rel}`, hints, gateway },
    );
    const first = outcome.documents[0];
    this.deps.logger.info(
      {
        doc: outcome.docId.slice(0, 12),
        isNew: first?.isNew,
        queued: first?.queued,
        quarantined: Boolean(first?.quarantined),
        container: outcome.container?.kind,
        documents: outcome.documents.length,
        sidecar: Boolean(sidecar),
      },
      'fax taken',
    );
    if (this.options.archiveDir) {
      await this.archive(file, rel, outcome.docId);
      if (sidecar) await this.archive(sidecar, path.relative(this.options.dir, sidecar), outcome.docId);
    }
    this.deps.onTaken?.(outcome);
  }

  private async archive(file: string, rel: string, docId: string): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const target = path.join(this.options.archiveDir!, day, `${docId.slice(0, 16)}-${path.basename(rel)}`);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(file, target);
      await unlink(file);
    }
  }

  private async list(dir: string): Promise<string[]> {
    const out: string[] = [];
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return out;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (this.options.archiveDir && path.resolve(full) === path.resolve(this.options.archiveDir)) continue;
      if (entry.isDirectory()) out.push(...(await this.list(full)));
      else if (entry.isFile()) {
        if (this.accepts(entry.name)) out.push(full);
        else this.reportSkip(full, entry.name);
      }
    }
    return out.sort();
  }

  /** New files the drop does not take, counted by ending for one log line per scan. */
  private newSkips: Record<string, number> = {};

  private reportSkip(full: string, name: string): void {
    if (this.reportedSkips.has(full)) return;
    this.reportedSkips.add(full);
    const lower = name.toLowerCase();
    const ending = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1).slice(0, 12) : '(none)';
    this.newSkips[ending] = (this.newSkips[ending] ?? 0) + 1;
  }

  private flushSkips(): void {
    if (Object.keys(this.newSkips).length === 0) return;
    this.deps.logger.warn(
      { endings: this.newSkips },
      'files in the fax drop left in place: not document types the drop takes (FAX_DROP_EXTENSIONS)',
    );
    this.newSkips = {};
  }

  private accepts(name: string): boolean {
    const lower = name.toLowerCase();
    // Partial uploads from gateways that write then rename.
    if (lower.endsWith('.part') || lower.endsWith('.tmp') || lower.endsWith('.crdownload')) return false;
    const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
    return this.options.extensions.includes('*') || this.options.extensions.includes(ext);
  }
}
