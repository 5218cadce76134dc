import { ingestArrival, type ArrivalDeps } from '@intake/arrivals';
import { DomainError } from '../errors.ts';

/**
 * The endings the upload takes: the fax drop's document types (services/fax-drop
 * DEFAULT_FAX_EXTENSIONS), so paper brought to an appointment is admitted as a fax would be.
 * A file of another type is refused with a reason and not stored.
 */
export const UPLOAD_EXTENSIONS = ['pdf', 'tif', 'tiff', 'png', 'jpg', 'jpeg', 'webp', 'heic', 'heif', 'xml', 'eml', 'msg', 'dat', 'json'] as const;

export interface UploadedFile {
  fileName: string;
  bytes: Uint8Array;
  mediaType?: string;
}

export interface UploadResult {
  fileName: string;
  /** The file's id (for a container, the container's: see docIds). Not set when the file was refused. */
  docId?: string;
  /** queued: a new document, its read job queued; repeat: these bytes arrived before; quarantined: kept, with the reason; refused: not a document type the upload takes. */
  outcome: 'queued' | 'repeat' | 'quarantined' | 'refused';
  reason?: string;
  /** A container (saved e-mail, .msg, winmail.dat): how many documents were in it. */
  documents?: number;
  /** A container: the ids of the documents taken in from it (and the container's own when it was taken in for the read step to record what it left out). */
  docIds?: string[];
}

const extension = (name: string) => /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/** A file name as the audit log and the receipt keep it: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'upload';
}

/**
 * Paper brought to the first appointment: each file through the same durable intake step as
 * the fax and mail channels (original to S3, receipt, `received`, read job), channel `upload`.
 * The size limit is that step's (a larger file is kept and quarantined with the reason).
 */
export async function uploadFiles(
  deps: ArrivalDeps,
  input: { files: UploadedFile[]; uploader: string; receivedAt?: Date },
): Promise<UploadResult[]> {
  if (input.files.length === 0) throw new DomainError('invalid', 'no file in the upload');
  const out: UploadResult[] = [];
  for (const file of input.files) {
    const fileName = cleanFileName(file.fileName);
    if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extension(fileName))) {
      out.push({
        fileName,
        outcome: 'refused',
        reason: `not a document type the upload takes (${UPLOAD_EXTENSIONS.join(', ')})`,
      });
      continue;
    }
    const arrived = await ingestArrival(deps, {
      bytes: file.bytes,
      channel: 'upload',
      fileName,
      declaredType: file.mediaType && file.mediaType !== 'application/octet-stream' ? file.mediaType : undefined,
      receivedAt: input.receivedAt ?? new Date(),
      origin: `upload by ${input.uploader}`,
    });
    const quarantined = arrived.documents.find((d) => d.quarantined);
    out.push({
      fileName,
      docId: arrived.docId,
      outcome: quarantined ? 'quarantined' : arrived.documents.some((d) => d.isNew) ? 'queued' : 'repeat',
      reason: quarantined?.quarantined,
      ...(arrived.container ? { documents: arrived.container.documents, docIds: arrived.documents.map((d) => d.docId) } : {}),
    });
  }
  return out;
}
