import { createRequire } from 'node:module';
import type { FieldsData } from '@kenjiuno/msgreader';
import { BadInputError } from '@intake/core';

/** The reader class (a CommonJS module with a default export, loaded the same way by tsx, vitest and node). */
interface MsgReaderInstance {
  getFileData(): FieldsData;
  getAttachment(attach: FieldsData): { fileName: string; content: Uint8Array };
}
type MsgReaderClass = new (buffer: ArrayBuffer) => MsgReaderInstance;
let msgReaderClass: MsgReaderClass | undefined;
/** Loaded on the first .msg, not by every process that only detects file types. */
function MsgReader(): MsgReaderClass {
  msgReaderClass ??= (createRequire(import.meta.url)('@kenjiuno/msgreader') as { default: MsgReaderClass }).default;
  return msgReaderClass;
}

/** An Outlook item file (.msg, a Compound File): what matters for intake. Read with @kenjiuno/msgreader. */
export interface MsgContents {
  subject?: string;
  senderName?: string;
  senderEmail?: string;
  messageId?: string;
  body?: string;
  attachments: { fileName?: string; mimeType?: string; data: Uint8Array; embeddedMessage: boolean }[];
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** "__substg1.0_" in UTF-16LE, as the directory entries of every .msg name their property streams. */
const SUBSTG = Buffer.from('__substg1.0_', 'utf16le');

/** A Compound File whose directory names MAPI property streams: an Outlook .msg (not a .doc or .xls, which are Compound Files too). */
export function isMsg(bytes: Uint8Array): boolean {
  if (bytes.length < 512 || !CFB_MAGIC.every((v, i) => bytes[i] === v)) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(SUBSTG);
}

function corrupt(cause?: unknown): BadInputError {
  return new BadInputError('corrupt', 'damaged Outlook message (.msg) that cannot be opened: ask the sender to send the documents again', { cause });
}

export function readMsg(bytes: Uint8Array): MsgContents {
  let reader: MsgReaderInstance;
  let data;
  try {
    const copy = new Uint8Array(bytes); // a copy that owns its ArrayBuffer (a Buffer may be a view into a pool)
    reader = new (MsgReader())(copy.buffer);
    data = reader.getFileData();
  } catch (error) {
    throw corrupt(error);
  }
  if (data.error) throw corrupt();
  const headerId = data.headers ? /^message-id:\s*(\S+)/im.exec(data.headers)?.[1] : undefined;
  const out: MsgContents = {
    subject: data.subject || undefined,
    senderName: data.senderName || undefined,
    senderEmail: data.senderSmtpAddress || data.senderEmail || undefined,
    messageId: data.messageId || headerId || undefined,
    body: data.body || undefined,
    attachments: [],
  };
  for (const att of data.attachments ?? []) {
    try {
      const got = reader.getAttachment(att);
      out.attachments.push({
        fileName: got.fileName || att.fileName || att.fileNameShort || undefined,
        mimeType: att.attachMimeTag || undefined,
        data: got.content,
        embeddedMessage: att.innerMsgContent === true,
      });
    } catch (error) {
      throw corrupt(error);
    }
  }
  return out;
}
