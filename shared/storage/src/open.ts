import { dataPath, type CoreConfig } from '@intake/config';
import { ReviewIndex, type IndexLocation } from '@intake/index';
import { startEmbeddedS3, type EmbeddedS3 } from './embedded-s3.ts';
import { ReviewStore } from './review-store.ts';
import { createS3Client, s3SettingsFromConfig } from './s3.ts';

export interface OpenedStore {
  store: ReviewStore;
  /** Set when the embedded S3 server was started by this process. */
  embedded?: EmbeddedS3;
  close(): Promise<void>;
}

/** Where the index lives: DATABASE_URL, else PGlite under INTAKE_DATA_DIR/index. */
export function indexLocation(config: CoreConfig, schema?: string): IndexLocation {
  // Services in production are separate processes: each with a PGlite of its own would be as many indexes.
  if (!config.DATABASE_URL && config.NODE_ENV === 'production') {
    throw new Error('DATABASE_URL is required in production: every service writes the one review index');
  }
  return config.DATABASE_URL ? { url: config.DATABASE_URL, schema } : { dataDir: dataPath(config, 'index'), schema };
}

/**
 * The store the configuration names: a real S3 endpoint (or AWS itself) when
 * S3_ENDPOINT is set or NODE_ENV is production, else the embedded S3 server on a local
 * folder; and its index (migrated to the current schema before anything reads it).
 */
export async function openReviewStore(config: CoreConfig, options: { index?: IndexLocation } = {}): Promise<OpenedStore> {
  let embedded: EmbeddedS3 | undefined;
  const settings = s3SettingsFromConfig(config);
  if (!settings.endpoint && config.NODE_ENV !== 'production') {
    embedded = await startEmbeddedS3({
      directory: dataPath(config, 's3'),
      port: config.INTAKE_S3_PORT,
      bucket: config.S3_BUCKET,
    });
    settings.endpoint = embedded.endpoint;
    settings.credentials = embedded.credentials;
    settings.forcePathStyle = true;
  }
  const s3 = createS3Client(settings);
  let index: ReviewIndex | undefined;
  try {
    index = await ReviewIndex.open(options.index ?? indexLocation(config));
    const store = new ReviewStore(s3, settings, index);
    await store.open();
    return {
      store,
      embedded,
      async close() {
        await index!.close();
        s3.destroy();
        await embedded?.close();
      },
    };
  } catch (error) {
    await index?.close();
    s3.destroy();
    await embedded?.close();
    throw error;
  }
}
