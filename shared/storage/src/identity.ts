import { Patient } from '@intake/core';
import { z } from 'zod';
import { keys } from './keys.ts';
import type { ObjectStore } from './object-store.ts';

/** What each page of a document says about its patient, and the pages grouped by patient (indexing). */
export const DocumentIdentityRecord = z.object({
  docId: z.string(),
  pages: z.array(Patient.extend({ page: z.number().int().min(1) })),
  groups: z.array(z.object({ pages: z.array(z.number().int().min(1)), patient: Patient })),
  /** The pages name more than one patient. */
  mixed: z.boolean(),
  at: z.iso.datetime(),
});
export type DocumentIdentityRecord = z.infer<typeof DocumentIdentityRecord>;

/**
 * `documents/{docId}/identity.json`: written by the extract step with the extraction result
 * (replaced when the document is extracted again). The flag itself travels in the status
 * (`mixedPatients`), so the index row and `intake reindex` carry it.
 */
export class IdentityRepository {
  constructor(private readonly objects: ObjectStore) {}

  async put(record: DocumentIdentityRecord): Promise<void> {
    await this.objects.putJson(keys.identity(record.docId), DocumentIdentityRecord.parse(record));
  }

  get(docId: string): Promise<DocumentIdentityRecord | undefined> {
    return this.objects.getJson(keys.identity(docId), DocumentIdentityRecord);
  }
}
