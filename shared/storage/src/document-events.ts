import type { DocumentStatus } from './document-state.ts';

/**
 * Live progress: every transition of a document is published on one Redis channel of the
 * deployment, `{INTAKE_QUEUE_PREFIX}:review:events`, by whichever process applied it (the
 * read and extract workers, the review service), and the review service passes it on to
 * signed-in clerks (server-sent events). Ids and states only, never patient data: the UI
 * fetches the row or the record it shows.
 */
export interface DocumentEvent {
  docId: string;
  stage: DocumentStatus['stage'];
  state: DocumentStatus['reviewState'];
  transition?: string;
  version: number;
  pages?: number;
  at: string;
  /** Superseded: the documents its pages went to. */
  supersededBy?: string[];
}

export const documentEventsChannel = (prefix: string): string => {
  if (!/^[a-zA-Z0-9_-]+$/.test(prefix)) throw new Error('a key prefix is letters, digits, _ and - only');
  return `${prefix}:review:events`;
};

export function documentEvent(status: DocumentStatus): DocumentEvent {
  return {
    docId: status.docId,
    stage: status.stage,
    state: status.reviewState,
    transition: status.lastTransition?.name,
    version: status.version,
    pages: status.pages,
    at: status.lastTransition?.at ?? status.updatedAt,
    ...(status.supersededBy ? { supersededBy: status.supersededBy } : {}),
  };
}

/** A publisher for DocumentStateRepository.observe: fire and forget (a lost event only delays a refresh). */
export function documentEventPublisher(
  redis: { publish(channel: string, message: string): Promise<unknown> },
  prefix: string,
  onError: (error: unknown) => void = () => {},
): (status: DocumentStatus) => void {
  const channel = documentEventsChannel(prefix);
  return (status) => {
    redis.publish(channel, JSON.stringify(documentEvent(status))).catch(onError);
  };
}
