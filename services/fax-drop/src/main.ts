import path from 'node:path';
import { readDocumentJob } from '@intake/core';
import { openServiceRuntime } from '@intake/queue';
import { DEFAULT_FAX_EXTENSIONS, FaxDrop } from './fax-drop.ts';

// Standalone fax-drop watcher process.
const rt = await openServiceRuntime({ name: 'fax-drop' });
const { config } = rt;
const drop = new FaxDrop(
  {
    dir: path.resolve(config.FAX_DROP_DIR),
    archiveDir: config.FAX_ARCHIVE_DIR ? path.resolve(config.FAX_ARCHIVE_DIR) : undefined,
    pollMs: config.FAX_POLL_MS,
    extensions: config.FAX_DROP_EXTENSIONS ?? DEFAULT_FAX_EXTENSIONS,
    maxFileBytes: config.INTAKE_MAX_FILE_BYTES,
  },
  { store: rt.store, readProducer: rt.producer(readDocumentJob), logger: rt.logger },
);
await drop.start();
rt.lifecycle.onClose('fax-drop', () => drop.stop());
rt.lifecycle.handleSignals();
rt.logger.info('fax drop watching');
