import { BadInputError, type PageText, type Word } from '@intake/core';
import { assembleLines, type Segment } from './layout.ts';
import { classifyPageContent } from './blank.ts';
import { withBoxWords } from './boxes.ts';
import { encodePgm, OcrTimeoutError, type OcrEngine, type OcrResult, type Orientation } from './ocr-engine.ts';
import { despeckle, deskew, isBilevel, speckArea } from './preprocess.ts';
import { encodeJpeg, encodePng, type GrayImage, rotateGray } from './raster.ts';

export interface PageImage {
  data: Buffer;
  mediaType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

export interface ReadPage extends PageText {
  image?: PageImage;
}

export interface PageContext {
  engine: OcrEngine;
  pageTimeoutMs: number;
  renderImages: boolean;
}

/** Below this mean word confidence an upright page is rare: check the orientation. */
const LOW_CONFIDENCE = 0.6;
/** tesseract's orientation confidence above which we turn a page without reading it first. */
const SURE_ORIENTATION = 3;

function emptyPage(page: number, method: PageText['method'], width: number, height: number): ReadPage {
  return { page, method, text: '', lines: [], width, height, rotation: 0, confidence: 1 };
}

export async function encodePageImage(img: GrayImage, photo = false): Promise<PageImage> {
  return photo
    ? { data: await encodeJpeg(img), mediaType: 'image/jpeg', width: img.width, height: img.height }
    : { data: await encodePng(img), mediaType: 'image/png', width: img.width, height: img.height };
}

async function recognize(ctx: PageContext, img: GrayImage, dpi: number, page: number): Promise<OcrResult> {
  try {
    return await ctx.engine.recognize(encodePgm(img.data, img.width, img.height), { timeoutMs: ctx.pageTimeoutMs, dpi: dpi || 300 });
  } catch (error) {
    if (error instanceof OcrTimeoutError)
      throw new BadInputError(
        'timeout',
        `page ${page} could not be read within ${Math.round(ctx.pageTimeoutMs / 1000)} s: ask for a clearer or smaller copy`,
        { cause: error },
      );
    throw error;
  }
}

/** Words tesseract invents in empty space: lone punctuation or symbols with low confidence. */
function dropNoise(result: OcrResult): OcrResult {
  const noise = (w: Word): boolean => w.confidence < 0.5 && /^[^\p{L}\p{N}]{1,2}$/u.test(w.text);
  if (!result.lines.some((l) => l.words.some(noise))) return result;
  const assembled = assembleLines(result.lines.map((l) => ({ words: l.words.filter((w) => !noise(w)) })));
  return { ...result, ...assembled };
}

/** Overlay words replace the OCR words they cover (they are exact); the rest of the OCR stays. */
function withOverlay(result: OcrResult, overlay: Segment[]): OcrResult {
  const exact = overlay.flatMap((s) => s.words);
  const covered = (w: Word): boolean =>
    exact.some((e) => {
      const ix = Math.min(e.bbox[2], w.bbox[2]) - Math.max(e.bbox[0], w.bbox[0]);
      const iy = Math.min(e.bbox[3], w.bbox[3]) - Math.max(e.bbox[1], w.bbox[1]);
      return ix > 0 && iy > 0 && ix * iy > 0.3 * (w.bbox[2] - w.bbox[0]) * (w.bbox[3] - w.bbox[1]);
    });
  const assembled = assembleLines([...result.lines.map((l) => ({ words: l.words.filter((w) => !covered(w)) })), ...overlay]);
  return { ...result, ...assembled };
}

/**
 * tesseract reads sideways text too, confidently, but as vertical lines: words whose boxes
 * are taller than wide give it away.
 */
function looksSideways(result: OcrResult): boolean {
  const words = result.lines.flatMap((l) => l.words).filter((w) => w.text.length >= 3);
  if (words.length < 3) return false;
  const tall = words.filter((w) => w.bbox[3] - w.bbox[1] > w.bbox[2] - w.bbox[0]).length;
  return tall / words.length > 0.5;
}

/**
 * A page that exists only as pixels: skip it when blank or a separator sheet, otherwise
 * deskew, OCR, and when the result looks unreadable check the orientation (faxes arrive
 * upside down and sideways) and read it again turned upright.
 */
export async function readRasterPage(
  ctx: PageContext,
  page: number,
  input: GrayImage,
  dpi: number,
  options: {
    photo?: boolean;
    started?: number;
    orientationFirst?: boolean;
    /** Exact words known from elsewhere (a PDF's text drawn over a scan), in `input`'s pixels. */
    overlay?: Segment[];
    /** Fax speckle already removed (TIFF pages, before squaring); otherwise a 1-bit page is cleaned here. */
    despeckled?: boolean;
  } = {},
): Promise<ReadPage> {
  const started = options.started ?? performance.now();
  if (!options.despeckled && isBilevel(input)) input = despeckle(input, speckArea(dpi, dpi));
  const content = await classifyPageContent(input);
  if (content !== 'content') {
    const skipped = emptyPage(page, content === 'blank' ? 'skipped-blank' : 'skipped-separator', input.width, input.height);
    if (ctx.renderImages) skipped.image = await encodePageImage(input, options.photo);
    return { ...skipped, ms: performance.now() - started };
  }
  const detect = async (img: GrayImage): Promise<Orientation | undefined> =>
    ctx.engine.detectOrientation
      ? ctx.engine.detectOrientation(encodePgm(img.data, img.width, img.height), { timeoutMs: ctx.pageTimeoutMs, dpi: dpi || 300 }).catch(() => undefined)
      : undefined;
  let rotation = 0;
  let checked = false;
  let image: GrayImage;
  // Faxes are often upside down or sideways: a quick orientation check up front is cheaper
  // than reading the page twice. Acted on only when tesseract is sure.
  const early = options.orientationFirst ? await detect(input) : undefined;
  if (early && early.degrees !== 0 && early.confidence >= SURE_ORIENTATION) {
    rotation = early.degrees;
    ({ image } = await deskew(await rotateGray(input, rotation)));
  } else {
    checked = early !== undefined && early.confidence >= SURE_ORIENTATION;
    ({ image } = await deskew(input));
  }
  let result = dropNoise(await recognize(ctx, image, dpi, page));
  if (rotation !== 0 && result.confidence < LOW_CONFIDENCE) {
    // tesseract's orientation check can be sure and wrong (monospaced capitals read upside
    // down look like text too): a poor read of the turned page gets a read as it came.
    const { image: asIs } = await deskew(input);
    const again = dropNoise(await recognize(ctx, asIs, dpi, page));
    if (again.confidence > result.confidence) {
      image = asIs;
      result = again;
      rotation = 0;
    }
    checked = true;
  }
  if (!checked && rotation === 0 && (result.confidence < LOW_CONFIDENCE || looksSideways(result))) {
    const orientation = await detect(image);
    if (orientation && orientation.degrees !== 0) {
      // Skew measured on a sideways page is meaningless: measure again once upright.
      const { image: turned } = await deskew(await rotateGray(input, orientation.degrees));
      const again = dropNoise(await recognize(ctx, turned, dpi, page));
      if (again.confidence > result.confidence || (looksSideways(result) && !looksSideways(again))) {
        image = turned;
        result = again;
        rotation = orientation.degrees;
      }
    }
  }
  if (options.overlay?.length && rotation === 0) result = withOverlay(result, options.overlay);
  // Check boxes and their ticks, read from the pixels OCR was given.
  const boxed = withBoxWords(image, result.lines);
  if (boxed) result = { ...result, text: boxed.text, lines: boxed.lines };
  const out: ReadPage = {
    page,
    method: 'ocr',
    text: result.text,
    lines: result.lines,
    width: image.width,
    height: image.height,
    rotation,
    confidence: result.confidence,
  };
  if (ctx.renderImages) out.image = await encodePageImage(image, options.photo);
  out.ms = performance.now() - started;
  return out;
}
