/**
 * A writer killed between the S3 write and the index write (crash.int.test.ts): it applies
 * one transition and SIGKILLs itself the moment status.json is in the store.
 */
import { ReviewIndex, type IndexLocation } from '@intake/index';
import type { Transition } from '../document-state.ts';
import { ReviewStore } from '../review-store.ts';
import { createS3Client, type S3Settings } from '../s3.ts';

const { settings, location, docId, transition } = JSON.parse(process.argv[2]!) as {
  settings: S3Settings;
  location: IndexLocation;
  docId: string;
  transition: Transition;
};
const index = await ReviewIndex.open(location);
const store = new ReviewStore(createS3Client(settings), settings, index);
await store.open();
store.documents.afterStoreWrite = () => {
  process.stdout.write('killed after the S3 write\n');
  process.kill(process.pid, 'SIGKILL');
  return new Promise<void>(() => {});
};
await store.documents.transition(docId, transition);
process.stdout.write('not killed\n');
