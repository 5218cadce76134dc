import type { CoreConfig, ImapConfig, Logger } from '@intake/config';
import type { readDocumentJob } from '@intake/core';
import type { JobProducer } from '@intake/queue';
import type { ReviewStore } from '@intake/storage';
import type { Redis } from 'ioredis';
import { createAcknowledger } from './ack.ts';
import { MailboxListener } from './listener.ts';
import type { MessageLimits } from './mime.ts';
import type { TakeStep } from './take-message.ts';

export { analyseMessage, judgeInlineImage, messageIdHash, scanHtml, defaultLimits } from './mime.ts';
export type { DocumentPart, MessageAnalysis, MessageLimits, SkippedPart } from './mime.ts';
export { EmailRecord, MailboxState, MessageIdIndex, emailKeys } from './email-record.ts';
export { takeMessage } from './take-message.ts';
export { LockLostError, MailboxLock, type Lease } from './mailbox-lock.ts';
export type { TakeStep } from './take-message.ts';
export { composeAck, createAcknowledger } from './ack.ts';
export { findMrn } from './hints.ts';
export { unzip } from './zip.ts';

export function limitsFromConfig(config: ImapConfig): MessageLimits {
  return {
    inlineMinBytes: config.INTAKE_INLINE_IMAGE_MIN_BYTES,
    inlineMinPx: config.INTAKE_INLINE_IMAGE_MIN_PX,
    zip: {
      maxEntries: config.ZIP_MAX_ENTRIES,
      maxEntryBytes: config.ZIP_MAX_ENTRY_BYTES,
      maxTotalBytes: config.ZIP_MAX_TOTAL_BYTES,
      maxDepth: config.ZIP_MAX_DEPTH,
    },
    maxForwardDepth: 3,
  };
}

/**
 * Start taking in the members' e-mail: connect, take what is waiting, then every new
 * message within seconds (IDLE) or at the poll interval. Resolves once started; it keeps
 * reconnecting on its own. `close()` lets the message in hand finish and logs out.
 */
export async function startImapListener(deps: {
  config: ImapConfig;
  coreConfig: CoreConfig;
  store: ReviewStore;
  readProducer: JobProducer<typeof readDocumentJob.schema>;
  logger: Logger;
  /** Tests only: called at each durable step (the crash test kills the process there). */
  onStep?: (step: TakeStep) => void;
  /** Tests only: called after each sweep of the mailbox. */
  onSweep?: (result: { taken: number; failed: number }) => void;
  /** One listener per mailbox: the lease is kept in this Redis under `lockPrefix` (INTAKE_QUEUE_PREFIX); a second listener waits. */
  redis?: Redis;
  lockPrefix?: string;
  lockTtlMs?: number;
}): Promise<{ close(): Promise<void>; readonly active: boolean }> {
  const { config, logger } = deps;
  if (!config.IMAP_HOST || !config.IMAP_USER) {
    logger.info('imap listener disabled: IMAP_HOST is not set');
    return { close: async () => {}, active: false };
  }
  const acknowledger = config.ACK_ENABLED ? createAcknowledger(config) : undefined;
  // The smaller of the two limits: an attachment cannot be bigger than any file the pipeline accepts.
  const maxAttachmentBytes = Math.min(config.INTAKE_MAX_ATTACHMENT_BYTES, deps.coreConfig.INTAKE_MAX_FILE_BYTES);
  const listener = new MailboxListener({
    config: { ...config, IMAP_HOST: config.IMAP_HOST, IMAP_USER: config.IMAP_USER },
    logger,
    onSweep: deps.onSweep,
    lock: deps.redis ? { redis: deps.redis, prefix: deps.lockPrefix, ttlMs: deps.lockTtlMs ?? config.IMAP_LOCK_TTL_MS } : undefined,
    take: {
      store: deps.store,
      readProducer: deps.readProducer,
      logger: logger.child({ component: 'imap-listener' }),
      limits: limitsFromConfig(config),
      maxAttachmentBytes,
      maxMessageBytes: config.IMAP_MAX_MESSAGE_BYTES,
      acknowledger,
      onStep: deps.onStep,
    },
  });
  listener.start();
  return {
    get active() {
      return listener.active;
    },
    async close() {
      await listener.close();
      acknowledger?.close();
    },
  };
}
