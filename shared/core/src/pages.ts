import { z } from 'zod';
import { BBox } from './extraction-result.ts';

/** How a page's text was obtained. */
export const ReadMethod = z.enum(['text-layer', 'ocr', 'structured', 'skipped-blank', 'skipped-separator']);
export type ReadMethod = z.infer<typeof ReadMethod>;

export const Word = z.object({
  text: z.string(),
  bbox: BBox,
  /** 0–1; 1 for a text layer. */
  confidence: z.number().min(0).max(1),
});
export type Word = z.infer<typeof Word>;

export const Line = z.object({
  text: z.string(),
  bbox: BBox,
  confidence: z.number().min(0).max(1),
  words: z.array(Word),
});
export type Line = z.infer<typeof Line>;

/** One page as read: text in reading order, with layout where there is any. */
export const PageText = z.object({
  /** 1-based page number within the document. */
  page: z.number().int().min(1),
  method: ReadMethod,
  text: z.string(),
  lines: z.array(Line),
  /** Page image size in pixels (the coordinate space of every bbox); 0 when there is no image. */
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  /** Rotation applied before OCR, degrees clockwise. */
  rotation: z.number().int().default(0),
  /** Mean word confidence, 0–1. */
  confidence: z.number().min(0).max(1),
  ms: z.number().min(0).optional(),
});
export type PageText = z.infer<typeof PageText>;
