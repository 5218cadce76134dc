import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { z } from 'zod';

/**
 * The few S3 calls the intake checks make on the review store's bucket (JSON records),
 * through the store's own client and its SSE setting.
 */
export interface BucketRef {
  s3: S3Client;
  bucket: string;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
}

export function bucketOf(store: { s3: S3Client; bucket: string; settings?: { sse?: 'AES256' | 'aws:kms'; kmsKeyId?: string } }): BucketRef {
  return { s3: store.s3, bucket: store.bucket, sse: store.settings?.sse, kmsKeyId: store.settings?.kmsKeyId };
}

const notFound = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
};

export async function putObject(ref: BucketRef, key: string, body: Uint8Array | string, contentType: string): Promise<void> {
  await ref.s3.send(
    new PutObjectCommand({
      Bucket: ref.bucket,
      Key: key,
      Body: body,
      // Said outright: for an empty body the SDK sends no length and prints a "Stream of
      // unknown length" warning per object.
      ContentLength: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
      ContentType: contentType,
      ServerSideEncryption: ref.sse,
      SSEKMSKeyId: ref.sse === 'aws:kms' ? ref.kmsKeyId : undefined,
    }),
  );
}

export async function getObject(ref: BucketRef, key: string): Promise<Buffer | undefined> {
  try {
    const out = await ref.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: key }));
    return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

export async function objectExists(ref: BucketRef, key: string): Promise<boolean> {
  try {
    await ref.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: key }));
    return true;
  } catch (error) {
    if (notFound(error)) return false;
    throw error;
  }
}

export async function deleteObject(ref: BucketRef, key: string): Promise<void> {
  await ref.s3.send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: key }));
}

export const putJsonObject = (ref: BucketRef, key: string, value: unknown) => putObject(ref, key, JSON.stringify(value), 'application/json');

export async function getJsonObject<S extends z.ZodType>(ref: BucketRef, key: string, schema: S): Promise<z.infer<S> | undefined> {
  const bytes = await getObject(ref, key);
  return bytes ? schema.parse(JSON.parse(bytes.toString('utf8'))) : undefined;
}

export async function listKeys(ref: BucketRef, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await ref.s3.send(new ListObjectsV2Command({ Bucket: ref.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort();
}

/** S3 calls of one document's checks in flight at once (each is a small object; one after another they cost a round trip each). */
export const S3_PARALLEL = 8;

