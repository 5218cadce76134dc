import { pino, type Logger } from 'pino';

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

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    // `app`, not pino's `name`: a top-level `name` is redacted (it can be a patient's).
    base: { app: options.name ?? 'intake', pid: process.pid },
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
}

export type { Logger };
