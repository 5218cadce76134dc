import type { MemberHints } from '@intake/core';

/**
 * Fax gateways' metadata: a sidecar file beside the fax with the same base name
 * (`12345.pdf` + `12345.json` or `12345.xml`), and for the S3 drop the object's own
 * metadata (`x-amz-meta-*`). Every field is kept on the receipt as sent (`gateway`);
 * the ones that say who sent the fax become sender hints. Field names differ between
 * gateways, so each hint is looked up under a list of names (case-insensitive, the last
 * segment of a nested key), configurable with FAX_SIDECAR_FIELDS. See README.md for the
 * formats of common gateways.
 */
export type GatewayHint = 'faxFrom' | 'faxStation' | 'faxTo' | 'gatewayReceivedAt' | 'senderName';

export const DEFAULT_SIDECAR_FIELDS: Record<GatewayHint, string[]> = {
  faxFrom: ['from', 'fromNumber', 'from_number', 'callerId', 'caller_id', 'callerNumber', 'remoteNumber', 'remote_number', 'ani', 'sender_number', 'senderFax', 'faxFrom', 'fax_from'],
  faxStation: ['csid', 'tsid', 'remoteCsid', 'remote_csid', 'faxSenderCsid', 'rsid', 'remoteStationId', 'station_id', 'stationId', 'remoteId', 'remote_id', 'remoteIdentity', 'remote_identity'],
  faxTo: ['to', 'toNumber', 'to_number', 'dnis', 'calledNumber', 'called_number', 'faxTo', 'fax_to'],
  gatewayReceivedAt: [
    'receivedAt',
    'received_at',
    'received',
    'receiveTime',
    'receivedTime',
    'faxReceiveDateTimeUtcISO8601',
    'faxReceiveDateTimeISO8601',
    'completed_at',
    'completedAt',
    'completedTime',
    'created_at',
    'createTime',
    'timestamp',
    'time',
    'date',
  ],
  senderName: ['senderName', 'sender_name', 'fromName', 'from_name', 'callerName', 'caller_name'],
};

/** FAX_SIDECAR_FIELDS: `faxFrom=CallerNumber|ANI;faxStation=CSID` — replaces the default names of the hints it lists. */
export function parseSidecarFields(spec: string | undefined): Record<GatewayHint, string[]> {
  const out = { ...DEFAULT_SIDECAR_FIELDS };
  if (!spec) return out;
  for (const entry of spec.split(/[;\n]/)) {
    const [hint, names] = entry.split('=').map((s) => s.trim());
    if (!hint || !names) continue;
    if (!(hint in DEFAULT_SIDECAR_FIELDS)) throw new Error(`FAX_SIDECAR_FIELDS: unknown hint '${hint}' (one of ${Object.keys(DEFAULT_SIDECAR_FIELDS).join(', ')})`);
    out[hint as GatewayHint] = names.split('|').map((n) => n.trim()).filter(Boolean);
  }
  return out;
}

const MAX_FIELDS = 100;
const clip = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 500);

function flattenJson(value: unknown, prefix: string, out: Record<string, string>): void {
  if (Object.keys(out).length >= MAX_FIELDS) return;
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out[prefix] = clip(String(value));
}

const decodeEntities = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/** A sidecar's fields, flattened to `name` / `parent.name` → text. JSON objects or XML leaf elements and attributes. */
export function parseSidecar(bytes: Uint8Array): Record<string, string> | undefined {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '').trim();
  const out: Record<string, string> = {};
  if (text.startsWith('{')) {
    try {
      flattenJson(JSON.parse(text), '', out);
    } catch {
      return undefined;
    }
    return out;
  }
  if (!text.startsWith('<')) return undefined;
  const body = text.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g)) {
    const element = m[1]!.replace(/^.*:/, '');
    for (const a of m[2]!.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]!.startsWith('xmlns')) continue;
      if (Object.keys(out).length < MAX_FIELDS) out[`${element}.${a[1]!.replace(/^.*:/, '')}`] = clip(decodeEntities(a[2] ?? a[3] ?? ''));
    }
  }
  for (const m of body.matchAll(/<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>([^<]*)<\/\1\s*>/g)) {
    const value = clip(decodeEntities(m[2]!));
    if (value && Object.keys(out).length < MAX_FIELDS) out[m[1]!.replace(/^.*:/, '')] = value;
  }
  return out;
}

/** The sender hints in a gateway's fields, by the configured names. */
export function gatewayHints(fields: Record<string, string>, names: Record<GatewayHint, string[]> = DEFAULT_SIDECAR_FIELDS): Partial<MemberHints> {
  const byName = new Map<string, string>();
  for (const [k, v] of Object.entries(fields)) {
    const last = k.slice(k.lastIndexOf('.') + 1).toLowerCase();
    if (v && !byName.has(last)) byName.set(last, v);
    if (v && !byName.has(k.toLowerCase())) byName.set(k.toLowerCase(), v);
  }
  const out: Partial<MemberHints> = {};
  for (const hint of Object.keys(names) as GatewayHint[]) {
    for (const name of names[hint]) {
      const v = byName.get(name.toLowerCase());
      if (!v) continue;
      if (hint === 'gatewayReceivedAt') {
        const t = Date.parse(/^\d{9,13}$/.test(v) ? new Date(Number(v) * (v.length <= 10 ? 1000 : 1)).toISOString() : v);
        if (Number.isNaN(t)) continue;
        out.gatewayReceivedAt = new Date(t).toISOString();
      } else out[hint] = v;
      break;
    }
  }
  return out;
}

/** Names a sidecar can have beside `file`. */
export function sidecarNames(file: string): string[] {
  const dot = file.lastIndexOf('.');
  const base = dot > file.lastIndexOf('/') ? file.slice(0, dot) : file;
  return [`${base}.json`, `${base}.xml`, `${base}.JSON`, `${base}.XML`];
}
