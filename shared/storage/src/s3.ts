import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { CoreConfig } from '@intake/config';

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  forcePathStyle: boolean;
  sse: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function s3SettingsFromConfig(config: CoreConfig, endpoint = config.S3_ENDPOINT): S3Settings {
  return {
    endpoint,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    sse: config.S3_SSE,
    kmsKeyId: config.S3_KMS_KEY_ID,
  };
}

/** One code path for AWS and for the embedded server: only the endpoint and credentials differ. */
export function createS3Client(settings: S3Settings): S3Client {
  const options: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: 5,
  };
  if (settings.endpoint) options.endpoint = settings.endpoint;
  if (settings.credentials) options.credentials = settings.credentials;
  return new S3Client(options);
}
