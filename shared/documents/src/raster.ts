import sharp, { type Sharp } from 'sharp';

/** An 8-bit grayscale image, row-major, one byte per pixel. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export async function grayFromSharp(s: Sharp): Promise<GrayImage> {
  const { data, info } = await s
    .flatten({ background: '#ffffff' })
    .grayscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function sharpFromGray(img: GrayImage, limitInputPixels: number | false = false): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 }, limitInputPixels });
}

export async function resizeGray(img: GrayImage, width: number, height: number): Promise<GrayImage> {
  if (width === img.width && height === img.height) return img;
  return grayFromSharp(sharpFromGray(img).resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)), { fit: 'fill', kernel: 'lanczos3' }));
}

/** Rotate by any angle, degrees clockwise, filling with white. */
export async function rotateGray(img: GrayImage, degrees: number): Promise<GrayImage> {
  if (degrees % 360 === 0) return img;
  return grayFromSharp(sharpFromGray(img).rotate(degrees, { background: '#ffffff' }));
}

/** Otsu's threshold of an 8-bit histogram. */
export function otsu(data: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < data.length; i++) hist[data[i]!] = hist[data[i]!]! + 1;
  const total = data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

export function percentile(data: Uint8Array, p: number): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) hist[data[i]!] = hist[data[i]!]! + 1;
  const target = p * data.length;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= target) return v;
  }
  return 255;
}

/** A small copy for analysis (area-averaged), at most `maxSide` pixels on its long side. */
export async function thumbnail(img: GrayImage, maxSide: number): Promise<GrayImage & { scale: number }> {
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
  const small = await resizeGray(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
  return { ...small, scale: small.width / img.width };
}

export async function encodePng(img: GrayImage): Promise<Buffer> {
  return sharpFromGray(img).png({ compressionLevel: 6, adaptiveFiltering: false, palette: false }).toBuffer();
}

export async function encodeJpeg(img: GrayImage): Promise<Buffer> {
  return sharpFromGray(img).jpeg({ quality: 80, mozjpeg: false }).toBuffer();
}
