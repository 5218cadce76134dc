/**
 * The embedded S3 server as a process of its own, for a chaos run of the separate services
 * (which reach it through S3_ENDPOINT and its folder's key pair): the run stops and
 * restarts it to make an S3 outage. Usage: s3-server.ts DIRECTORY PORT BUCKET
 */
import { startEmbeddedS3 } from '@intake/storage';

const [directory, port, bucket] = process.argv.slice(2);
if (!directory || !port || !bucket) {
  process.stderr.write('usage: s3-server.ts DIRECTORY PORT BUCKET\n');
  process.exit(2);
}
const server = await startEmbeddedS3({ directory, port: Number(port), bucket });
process.stdout.write(`embedded S3 at ${server.endpoint}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
