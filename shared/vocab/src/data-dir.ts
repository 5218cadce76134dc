import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../data');

/** Reads a committed data file (gunzipping `.gz`), as text. */
export function readDataFile(name: string): string {
  const bytes = readFileSync(join(DATA_DIR, name));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** The rows of a tab-separated data file: its cells, blank lines and `#` comment lines left out. */
export function readDataRows(name: string): string[][] {
  return readDataFile(name)
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split('\t'));
}

/** Runs `load` once, on first use. */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = load();
      done = true;
    }
    return value as T;
  };
}
