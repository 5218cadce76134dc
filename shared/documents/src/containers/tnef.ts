import { BadInputError } from '@intake/core';

/**
 * A reader for TNEF (`winmail.dat`, `application/ms-tnef`): the wrapper Outlook and
 * Exchange put around a message's attachments when they send "rich text". The format
 * is a flat list of attributes ([MS-OXTNEF]); what matters here is each attachment's
 * name and bytes, and the message's subject and body for sender hints.
 *
 * Written here rather than taken from npm: the one TNEF package there (node-tnef) writes
 * bunyan log lines to stdout on every parse, which would corrupt `intake extract --json`.
 */
export const TNEF_SIGNATURE = 0x223e9f78;

export interface TnefAttachment {
  fileName?: string;
  mimeType?: string;
  data: Uint8Array;
  /** The attachment is itself a message (attach method 5): its TNEF stream is `data`. */
  embeddedMessage: boolean;
}

export interface TnefContents {
  subject?: string;
  messageId?: string;
  body?: string;
  attachments: TnefAttachment[];
}

const LVL_MESSAGE = 1;
const LVL_ATTACHMENT = 2;

const ATT_SUBJECT = 0x8004;
const ATT_MESSAGE_ID = 0x8009;
const ATT_BODY = 0x800c;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_REND_DATA = 0x9002;
const ATT_MAPI_PROPS = 0x9003;
const ATT_ATTACHMENT = 0x9005;
const ATT_OEM_CODEPAGE = 0x9007;

const PR_SUBJECT = 0x0037;
const PR_BODY = 0x1000;
const PR_INTERNET_MESSAGE_ID = 0x1035;
const PR_ATTACH_DATA = 0x3701;
const PR_ATTACH_FILENAME = 0x3704;
const PR_ATTACH_METHOD = 0x3705;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PR_ATTACH_MIME_TAG = 0x370e;

const PT_SHORT = 0x0002;
const PT_LONG = 0x0003;
const PT_FLOAT = 0x0004;
const PT_DOUBLE = 0x0005;
const PT_CURRENCY = 0x0006;
const PT_APPTIME = 0x0007;
const PT_ERROR = 0x000a;
const PT_BOOLEAN = 0x000b;
const PT_OBJECT = 0x000d;
const PT_I8 = 0x0014;
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_SYSTIME = 0x0040;
const PT_CLSID = 0x0048;
const PT_BINARY = 0x0102;
const MV_FLAG = 0x1000;

type MapiValue = { type: number; data: Uint8Array };

function corrupt(): BadInputError {
  return new BadInputError('corrupt', 'damaged winmail.dat (TNEF) attachment that cannot be unpacked: ask the sender to send the files again as ordinary attachments');
}

class Cursor {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  private view = (n: number) => {
    if (n < 0 || this.pos + n > this.b.length) throw corrupt();
    const out = new DataView(this.b.buffer, this.b.byteOffset + this.pos, n);
    this.pos += n;
    return out;
  };
  u8 = () => this.view(1).getUint8(0);
  u16 = () => this.view(2).getUint16(0, true);
  u32 = () => this.view(4).getUint32(0, true);
  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.b.length) throw corrupt();
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  align4(): void {
    this.pos += (4 - (this.pos % 4)) % 4;
  }
  get done(): boolean {
    return this.pos >= this.b.length;
  }
}

function decoderFor(codepage: number | undefined): TextDecoder {
  try {
    if (codepage === 65001) return new TextDecoder('utf-8');
    if (codepage && codepage !== 1252) return new TextDecoder(`windows-${codepage}`);
  } catch {
    // unknown code page: fall back to windows-1252
  }
  return new TextDecoder('windows-1252');
}

const cString = (bytes: Uint8Array, decoder: TextDecoder) => decoder.decode(bytes).replace(/\0+$/, '').trim();
const utf16 = (bytes: Uint8Array) => new TextDecoder('utf-16le').decode(bytes).replace(/\0+$/, '').trim();

/** MAPI properties inside attMAPIProps / attAttachment: id → value (first value of multi-valued ones). */
function readMapiProps(data: Uint8Array): Map<number, MapiValue> {
  const c = new Cursor(data);
  const props = new Map<number, MapiValue>();
  const count = c.u32();
  for (let i = 0; i < count && !c.done; i++) {
    const type = c.u16();
    const id = c.u16();
    if (id >= 0x8000) {
      c.bytes(16); // property set GUID
      const kind = c.u32();
      if (kind === 0) c.u32();
      else {
        const len = c.u32();
        c.bytes(len);
        c.align4();
      }
    }
    const base = type & ~MV_FLAG;
    const multi = (type & MV_FLAG) !== 0;
    const fixed = (n: number): Uint8Array => {
      const v = c.bytes(n);
      c.align4();
      return v;
    };
    const values = multi ? c.u32() : 1;
    let first: Uint8Array | undefined;
    for (let v = 0; v < values; v++) {
      let value: Uint8Array;
      switch (base) {
        case PT_SHORT:
        case PT_LONG:
        case PT_FLOAT:
        case PT_ERROR:
        case PT_BOOLEAN:
          value = fixed(4);
          break;
        case PT_DOUBLE:
        case PT_CURRENCY:
        case PT_APPTIME:
        case PT_I8:
        case PT_SYSTIME:
          value = fixed(8);
          break;
        case PT_CLSID:
          value = fixed(16);
          break;
        case PT_STRING8:
        case PT_UNICODE:
        case PT_BINARY:
        case PT_OBJECT: {
          // Variable-length values: a count (single-valued ones too), then length-prefixed data.
          const n = multi ? 1 : c.u32();
          value = new Uint8Array();
          for (let k = 0; k < n; k++) {
            const len = c.u32();
            const d = c.bytes(len);
            c.align4();
            if (k === 0) value = d;
          }
          break;
        }
        default:
          throw corrupt();
      }
      first ??= value;
    }
    if (first) props.set(id, { type: base, data: first });
  }
  return props;
}

function propString(p: MapiValue | undefined, decoder: TextDecoder): string | undefined {
  if (!p) return undefined;
  if (p.type === PT_UNICODE) return utf16(p.data) || undefined;
  if (p.type === PT_STRING8) return cString(p.data, decoder) || undefined;
  return undefined;
}

export function isTnef(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === TNEF_SIGNATURE;
}

/** Parse a TNEF stream. Throws BadInputError('corrupt') when its structure is broken. */
export function readTnef(bytes: Uint8Array): TnefContents {
  if (!isTnef(bytes)) throw corrupt();
  const c = new Cursor(bytes);
  c.u32();
  c.u16(); // legacy key
  const out: TnefContents = { attachments: [] };
  let codepage: number | undefined;
  let decoder = decoderFor(undefined);
  let current: (TnefAttachment & { title?: string; method?: number }) | undefined;
  const finish = () => {
    if (current && current.data.byteLength > 0) {
      const { title, method, ...att } = current;
      att.fileName ??= title;
      att.embeddedMessage = method === 5;
      out.attachments.push(att);
    }
    current = undefined;
  };
  while (!c.done) {
    const level = c.u8();
    const attr = c.u32();
    const len = c.u32();
    const data = c.bytes(len);
    c.u16(); // checksum: Outlook itself does not enforce it, and neither do we
    const id = attr & 0xffff;
    if (level === LVL_MESSAGE) {
      if (id === ATT_OEM_CODEPAGE && data.length >= 4) {
        codepage = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
        decoder = decoderFor(codepage);
      } else if (id === ATT_SUBJECT) out.subject = cString(data, decoder) || out.subject;
      else if (id === ATT_MESSAGE_ID) out.messageId = cString(data, decoder) || out.messageId;
      else if (id === ATT_BODY) out.body = cString(data, decoder) || out.body;
      else if (id === ATT_MAPI_PROPS) {
        const props = readMapiProps(data);
        out.subject ??= propString(props.get(PR_SUBJECT), decoder);
        out.body ??= propString(props.get(PR_BODY), decoder);
        out.messageId ??= propString(props.get(PR_INTERNET_MESSAGE_ID), decoder);
      }
    } else if (level === LVL_ATTACHMENT) {
      if (id === ATT_ATTACH_REND_DATA) {
        finish();
        current = { data: new Uint8Array(), embeddedMessage: false };
        continue;
      }
      current ??= { data: new Uint8Array(), embeddedMessage: false };
      if (id === ATT_ATTACH_TITLE) current.title = cString(data, decoder) || undefined;
      else if (id === ATT_ATTACH_DATA) current.data = data;
      else if (id === ATT_ATTACHMENT) {
        const props = readMapiProps(data);
        const long = propString(props.get(PR_ATTACH_LONG_FILENAME), decoder) ?? propString(props.get(PR_ATTACH_FILENAME), decoder);
        if (long) current.fileName = long;
        current.mimeType = propString(props.get(PR_ATTACH_MIME_TAG), decoder);
        const method = props.get(PR_ATTACH_METHOD);
        if (method && method.data.length >= 4) current.method = new DataView(method.data.buffer, method.data.byteOffset, 4).getUint32(0, true);
        const obj = props.get(PR_ATTACH_DATA);
        if (obj && current.data.byteLength === 0) {
          // PT_OBJECT data starts with the 16-byte interface id of the object.
          current.data = obj.type === PT_OBJECT && obj.data.length > 16 ? obj.data.subarray(16) : obj.data;
        }
      }
    } else {
      throw corrupt();
    }
  }
  finish();
  void codepage;
  return out;
}
