import path from 'node:path';
import { readDocumentJob } from '@intake/core';
import { openServiceRuntime } from '@intake/queue';
import { DEFAULT_FAX_EXTENSIONS, FaxDrop } from './fax-drop.ts';
import { S3PrefixDrop } from './s3-drop.ts';
import { parseSidecarFields } from './sidecar.ts';

// Standalone fax-drop watcher process: the folder, and the S3 prefix when FAX_DROP_S3_PREFIX is set.
const rt = await openServiceRuntime({ name: 'fax-drop' });
const { config } = rt;
const readProducer = rt.producer(readDocumentJob);
const sidecarFields = parseSidecarFields(config.FAX_SIDECAR_FIELDS);
const extensions = config.FAX_DROP_EXTENSIONS ?? DEFAULT_FAX_EXTENSIONS;
const drop = new FaxDrop(
  {
    dir: path.resolve(config.FAX_DROP_DIR),
    archiveDir: config.FAX_ARCHIVE_DIR ? path.resolve(config.FAX_ARCHIVE_DIR) : undefined,
    pollMs: config.FAX_POLL_MS,
    extensions,
    maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
    sidecarFields,
  },
  { store: rt.store, readProducer, logger: rt.logger },
);
await drop.start();
rt.lifecycle.onClose('fax-drop', () => drop.stop());
if (config.FAX_DROP_S3_PREFIX) {
  const s3Drop = new S3PrefixDrop(
    {
      s3: rt.store.s3,
      bucket: config.FAX_DROP_S3_BUCKET ?? rt.store.bucket,
      prefix: config.FAX_DROP_S3_PREFIX,
      archivePrefix: config.FAX_ARCHIVE_S3_PREFIX,
      pollMs: config.FAX_POLL_MS,
      extensions,
      maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
      sidecarFields,
      sse: config.S3_SSE,
      kmsKeyId: config.S3_KMS_KEY_ID,
    },
    { store: rt.store, readProducer, logger: rt.logger },
  );
  s3Drop.start();
  rt.lifecycle.onClose('fax-drop-s3', () => s3Drop.stop());
}
rt.lifecycle.handleSignals();
rt.logger.info('fax drop watching');
