/**
 * @intake/documents/containers: containers and media-type detection only, without the
 * page readers (PDF, OCR, images), so the channels that open containers load quickly.
 */
export { decodeStructuredText, detectMediaType, looksLikeEmail, structuredAsUtf8, textHead } from '../detect.ts';
export {
  ccdaInText,
  containerKind,
  containerLabel,
  defaultContainerLimits,
  emptyContainerReason,
  openContainer,
  type ContainerContents,
  type ContainerDocument,
  type ContainerKind,
  type ContainerLimits,
  type ContainerSkip,
  type ContainerSkipCode,
} from './open.ts';
export { isMsg, readMsg, type MsgContents } from './msg.ts';
export { isTnef, readTnef, type TnefAttachment, type TnefContents } from './tnef.ts';
