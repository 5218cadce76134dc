import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

/**
 * Paths that can hold patient data or secrets. Logs say outcomes and ids, never
 * contents; this list is the net under that rule.
 */
export const REDACT_PATHS = [
  'text',
  '*.text',
  'items',
  '*.items',
  'patient',
  '*.patient',
  'name',
  '*.name',
  'birthDate',
  '*.birthDate',
  'mrn',
  '*.mrn',
  'hints',
  '*.hints',
  'subject',
  '*.subject',
  'from',
  '*.from',
  'to',
  '*.to',
  'senderAddress',
  '*.senderAddress',
  'senderName',
  '*.senderName',
  'fileName',
  '*.fileName',
  'filename',
  '*.filename',
  'password',
  '*.password',
  'pass',
  '*.pass',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'req.headers.cookie',
  'req.headers.authorization',
];

export type LogFormat = 'auto' | 'json' | 'pretty';

/** 'auto': pretty when stdout is a terminal and NODE_ENV is not production. */
export function resolveLogFormat(
  format: LogFormat = 'auto',
  env: NodeJS.ProcessEnv = process.env,
  isTTY = process.stdout.isTTY === true,
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

export function createLogger(
  options: { level?: string; name?: string; format?: LogFormat; destination?: DestinationStream } = {},
): Logger {
  const settings: LoggerOptions = {
    // `app`, not pino's `name`: a top-level `name` is redacted (it can be a patient's).
    base: { app: options.name ?? 'intake', pid: process.pid },
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  const envFormat = process.env.LOG_FORMAT;
  const format = resolveLogFormat(options.format ?? (envFormat === 'json' || envFormat === 'pretty' ? envFormat : 'auto'));
  if (format === 'pretty') {
    // Loaded only for a terminal; the same redaction applies (pino redacts before formatting).
    const { build } = createRequire(import.meta.url)('pino-pretty') as { build: (o: PrettyOptions) => DestinationStream };
    const colorize = !options.destination && process.stdout.isTTY === true;
    return pino(
      settings,
      build({
        colorize,
        sync: true,
        ignore: 'pid,hostname',
        translateTime: 'SYS:HH:MM:ss.l',
        destination: options.destination ?? 1,
      }),
    );
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
