// Helpers for the hand-made dev-records corpus (the tooling pattern of test/holdout/lib.mjs): item builders, HTML page
// shell, Chromium print, text-layer self-check, and the fax (fine / standard resolution) and phone-photo (perspective,
// shadow, low contrast) degradations.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';

// ---------- seeded randomness ----------
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const seedOf = (s) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

// ---------- items (OUTPUT.md shape; `page` and `ev` are generator-only and stripped from truth) ----------
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const base = (kind, display, o) => ({ kind, display, codes: [], negated: false, ...o });
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const meta = (o) => pick(o, ['page', 'also', 'alsoEv', 'ev', 'optional']);

export function med(name, display, o = {}) {
  return base('medication', display, {
    name, ...(o.rxcui ? { codes: [{ system: RX, code: o.rxcui }] } : {}),
    ...pick(o, ['strength', 'dose', 'route', 'frequency', 'date', 'status']), ...meta(o),
  });
}
export function allergy(substance, display, o = {}) {
  return base('allergy', display, {
    substance, ...(o.rxcui ? { codes: [{ system: RX, code: o.rxcui }] } : {}),
    ...pick(o, ['reaction', 'severity']), ...(o.negated ? { negated: true } : {}), ...meta(o),
  });
}
export const noneKnown = (display, o = {}) => allergy('none known', display, { ...o, negated: true });
export function imm(vaccine, date, o = {}) {
  return base('immunization', o.display ?? vaccine, {
    vaccine, date, ...(o.cvx ? { codes: [{ system: CVX, code: o.cvx }] } : {}), ...pick(o, ['lot']), ...meta(o),
  });
}
const LOINC = 'http://loinc.org';
export function screen(type, display, date, result, o = {}) {
  return base('screening', display, { type, ...(o.loinc ? { codes: [{ system: LOINC, code: o.loinc }] } : {}),
    ...(date ? { date } : {}), ...(result ? { result } : {}), ...meta(o) });
}
export function cond(name, display, o = {}) {
  return base('condition', display, {
    name, ...(o.icd ? { codes: [{ system: ICD, code: o.icd }] } : {}),
    ...pick(o, ['onset', 'status']), ...(o.negated ? { negated: true } : {}), ...meta(o),
  });
}
export const denies = (name, display, o = {}) => cond(name, display, { ...o, negated: true });
export function surg(name, display, date, o = {}) {
  return base('surgery', display, { name, ...(date ? { date } : {}), ...meta(o) });
}
const NPI = 'http://hl7.org/fhir/sid/us-npi';
export function prov(name, display, o = {}) {
  return base('provider', display, { name, ...(o.npi ? { codes: [{ system: NPI, code: o.npi }] } : {}),
    ...pick(o, ['organization', 'phone', 'fax', 'address', 'role']), ...meta(o) });
}
export function truthItem(it) {
  return Object.fromEntries(Object.entries(it).filter(([k]) => !['page', 'also', 'alsoEv', 'ev'].includes(k)));
}

// ---------- HTML ----------
export const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export function htmlDoc(title, css, pages, o = {}) {
  const [pw, ph] = o.landscape ? ['11in', '8.5in'] : ['8.5in', '11in'];
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
@page { size: ${pw} ${ph}; margin: 0 }
html, body { margin: 0; padding: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact }
.page { width: ${pw}; height: ${ph}; box-sizing: border-box; position: relative; overflow: hidden; page-break-after: always; break-after: page }
.page:last-child { page-break-after: auto; break-after: auto }
${css}
</style></head><body>${pages.map((p) => `<section class="page ${p.cls ?? ''}">${p.html}</section>`).join('\n')}</body></html>`;
}


// ---------- rendering ----------
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export function printPdf(html, outPdf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devrec-'));
  const f = path.join(dir, 'doc.html');
  fs.writeFileSync(f, html);
  execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--no-pdf-header-footer', `--user-data-dir=${path.join(dir, 'profile')}`, `--print-to-pdf=${outPdf}`, `file://${f}`], { stdio: 'pipe' });
  fs.rmSync(dir, { recursive: true, force: true });
}
export const pdfPages = (pdf) => +execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1];
export const pageText = (pdf, p) => execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'], { encoding: 'utf8' });
const squash = (s) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');

/** Every item's evidence text (ev, else display) must be on its page of the PDF's text layer. */
export function checkText(pdf, items, expectPages) {
  const n = pdfPages(pdf);
  const problems = [];
  if (n !== expectPages) problems.push(`${path.basename(pdf)}: ${n} pages, expected ${expectPages}`);
  const texts = Array.from({ length: n }, (_, i) => squash(pageText(pdf, i + 1)));
  for (const it of items) {
    const evs = [].concat(it.ev ?? it.display);
    for (const p of [it.page ?? 1, ...(it.also ?? [])]) {
      for (const ev of p === (it.page ?? 1) ? evs : [].concat(it.alsoEv ?? it.display)) if (!texts[p - 1]?.includes(squash(ev))) problems.push(`${path.basename(pdf)} p${p}: "${ev}" not in text layer`);
    }
  }
  return problems;
}

function rasterize(pdf, args, first, last) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devrec-r-'));
  execFileSync('pdftoppm', ['-q', ...args, '-f', String(first), '-l', String(last), '-png', pdf, path.join(dir, 'p')]);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => fs.readFileSync(path.join(dir, f)));
  fs.rmSync(dir, { recursive: true, force: true });
  return files;
}

async function rotateKeep(buf, deg, bg) {
  const m = await sharp(buf).metadata();
  const { data, info } = await sharp(buf).rotate(deg, { background: bg }).toBuffer({ resolveWithObject: true });
  const left = Math.max(0, Math.round((info.width - m.width) / 2)), top = Math.max(0, Math.round((info.height - m.height) / 2));
  return sharp(data).extract({ left, top, width: m.width, height: m.height }).toBuffer();
}

/**
 * Fax: gray raster at 204 x o.yres dpi (196 "fine" or 98 "standard"), skew, speckle, a dropout streak, sometimes a
 * black edge band from the scanner lid, a fax header line, threshold → multi-page CCITT G4 TIFF with the true resolution tags.
 */
export async function makeFax(pdf, outTiff, o) {
  const r = rng(seedOf(path.basename(outTiff)));
  const yres = o.yres ?? 196;
  const pages = rasterize(pdf, ['-rx', '204', '-ry', String(yres), '-gray'], 1, pdfPages(pdf));
  const out = [];
  for (let i = 0; i < pages.length; i++) {
    const deg = (r() < 0.5 ? -1 : 1) * (0.4 + r() * (o.maxSkew ?? 1.6));
    let img = await rotateKeep(await sharp(pages[i]).greyscale().png().toBuffer(), deg, { r: 255, g: 255, b: 255 });
    const { data, info } = await sharp(img).greyscale().raw().toBuffer({ resolveWithObject: true });
    const W = info.width, H = info.height;
    const nSpeck = Math.round(W * H * (o.speckle ?? 0.0008));
    for (let k = 0; k < nSpeck; k++) {
      const x = Math.floor(r() * W), y = Math.floor(r() * H), s = r() < 0.2 ? 2 : 1;
      for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) if (x + dx < W && y + dy < H) data[(y + dy) * W + x + dx] = 0;
    }
    for (let n = 0; n < (o.streaks ?? 1); n++) {
      const streakX = Math.floor(W * (0.15 + r() * 0.7));
      for (let y = 0; y < H; y++) if (r() < 0.75) data[y * W + streakX] = Math.min(255, data[y * W + streakX] + 140);
    }
    if (o.edge) { // dark band down the left edge (page fed crooked / lid shadow)
      const bw = Math.round(W * 0.012);
      for (let y = 0; y < H; y++) for (let x = 0; x < bw; x++) if (r() < 0.85) data[y * W + x] = 20;
    }
    const fontPx = Math.round((H / 11) * 0.11);
    const header = `${o.date} ${o.time}   FROM: ${o.from}   ${o.fromFax}   TO: ${o.to}   ${o.pageFmt === 'PAGE' ? `PAGE ${i + 1} OF ${pages.length}` : `P.${String(i + 1).padStart(3, '0')}/${String(pages.length).padStart(3, '0')}`}`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${fontPx + 14}"><rect width="100%" height="100%" fill="white"/><text x="${Math.round(W * 0.03)}" y="${fontPx + 4}" font-family="Courier Prime, DejaVu Sans Mono" font-size="${fontPx}" font-weight="bold" fill="black">${esc(header)}</text></svg>`;
    img = await sharp(data, { raw: { width: W, height: H, channels: 1 } })
      .composite([{ input: Buffer.from(svg), top: 4, left: 0 }])
      .removeAlpha().greyscale().threshold((o.threshold ?? 150) + Math.floor(r() * 25)).png().toBuffer();
    out.push(img);
  }
  await sharp(out.length > 1 ? out : out[0], out.length > 1 ? { join: { animated: true } } : {}).toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: yres / 25.4 }).toFile(outTiff);
  return out.length;
}

// 3x3 homography mapping the 4 points src[i] → dst[i] (solve the 8x8 system by Gaussian elimination)
function homography(src, dst) {
  const A = [], b = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i], [u, v] = dst[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]); b.push(v);
  }
  for (let c = 0; c < 8; c++) {
    let p = c; for (let r2 = c + 1; r2 < 8; r2++) if (Math.abs(A[r2][c]) > Math.abs(A[p][c])) p = r2;
    [A[c], A[p]] = [A[p], A[c]]; [b[c], b[p]] = [b[p], b[c]];
    for (let r2 = 0; r2 < 8; r2++) if (r2 !== c) {
      const f = A[r2][c] / A[c][c];
      for (let k = c; k < 8; k++) A[r2][k] -= f * A[c][k];
      b[r2] -= f * b[c];
    }
  }
  const h = b.map((v, i) => v / A[i][i]);
  return [...h, 1];
}

/**
 * Phone photo of one page: o.dpi raster, lower contrast, warm tint, lighting falloff, a soft shadow (hand / phone) over one
 * side, desk around the page, a perspective warp (page corners moved by up to o.persp of the page size) with rotation,
 * blur, sensor noise → JPEG.
 */
export async function makePhoto(pdf, page, outJpg, o = {}) {
  const r = rng(seedOf(path.basename(outJpg)));
  const [png] = rasterize(pdf, ['-r', String(o.dpi ?? 140)], page, page);
  const m = await sharp(png).metadata();
  const W = m.width, H = m.height;
  const cx = Math.round(W * (0.25 + r() * 0.5)), cy = Math.round(H * (0.2 + r() * 0.4));
  const light = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><radialGradient id="g" cx="${cx}" cy="${cy}" r="${Math.round(H * 0.9)}" gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#8c857a"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  // shadow: a blurred dark shape entering from one side
  const side = Math.floor(r() * 4);
  const sw = o.shadow ?? 0.35;
  const shapes = [
    `<polygon points="0,${H * 0.45} ${W * sw},${H * 0.62} ${W * (sw * 0.8)},${H} 0,${H}"/>`,
    `<polygon points="${W},${H * 0.3} ${W * (1 - sw)},${H * 0.5} ${W * (1 - sw * 0.7)},${H} ${W},${H}"/>`,
    `<polygon points="${W * 0.5},${H} ${W * 0.62},${H * (1 - sw * 0.6)} ${W},${H * (1 - sw * 0.4)} ${W},${H}"/>`,
    `<polygon points="0,0 ${W * 0.55},0 ${W * 0.3},${H * sw * 0.5} 0,${H * sw * 0.7}"/>`,
  ];
  const shadow = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><filter id="b"><feGaussianBlur stdDeviation="${Math.round(W * 0.03)}"/></filter></defs><rect width="100%" height="100%" fill="#ffffff"/><g fill="#6f6a66" filter="url(#b)">${shapes[side]}</g></svg>`;
  const c = o.contrast ?? 0.8;
  let img = await sharp(png).removeAlpha().toColourspace('srgb')
    .linear(c, Math.round(255 * (1 - c) * 0.55))
    .composite([{ input: Buffer.from(light), blend: 'multiply' }, { input: Buffer.from(shadow), blend: 'multiply' }])
    .recomb([[1.05, 0.02, 0], [0, 0.97, 0], [0, 0, 0.8]]).raw().toBuffer({ resolveWithObject: true });
  const src = img.data;
  const desk = [[92, 70, 52], [58, 62, 70], [132, 118, 98], [40, 40, 44]][Math.floor(r() * 4)];
  const mx = Math.round(W * (0.07 + r() * 0.05)), my = Math.round(H * (0.06 + r() * 0.04));
  const OW = W + 2 * mx, OH = H + 2 * my;
  // where the page corners land in the photo: margins, perspective jitter, rotation about the centre
  const P = o.persp ?? 0.05, deg = ((r() < 0.5 ? -1 : 1) * (1.5 + r() * (o.rot ?? 3))) * Math.PI / 180;
  const keystone = (r() < 0.5 ? 1 : -1) * P * W * (0.4 + r() * 0.6); // top edge narrower or wider: phone tilted
  let quad = [[mx + keystone, my], [mx + W - keystone, my], [mx + W, my + H], [mx, my + H]]
    .map(([x, y]) => [x + (r() - 0.5) * P * W, y + (r() - 0.5) * P * H]);
  const ccx = OW / 2, ccy = OH / 2;
  quad = quad.map(([x, y]) => [ccx + (x - ccx) * Math.cos(deg) - (y - ccy) * Math.sin(deg), ccy + (x - ccx) * Math.sin(deg) + (y - ccy) * Math.cos(deg)]);
  const h = homography(quad, [[0, 0], [W, 0], [W, H], [0, H]]); // photo → page
  const out = Buffer.alloc(OW * OH * 3);
  for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) {
    const w = h[6] * x + h[7] * y + h[8];
    const sx = (h[0] * x + h[1] * y + h[2]) / w, sy = (h[3] * x + h[4] * y + h[5]) / w;
    const o3 = (y * OW + x) * 3;
    if (sx < 0 || sy < 0 || sx >= W - 1 || sy >= H - 1) { out[o3] = desk[0]; out[o3 + 1] = desk[1]; out[o3 + 2] = desk[2]; continue; }
    const x0 = sx | 0, y0 = sy | 0, fx = sx - x0, fy = sy - y0;
    for (let k = 0; k < 3; k++) {
      const a = src[(y0 * W + x0) * 3 + k], b2 = src[(y0 * W + x0 + 1) * 3 + k], c2 = src[((y0 + 1) * W + x0) * 3 + k], d = src[((y0 + 1) * W + x0 + 1) * 3 + k];
      out[o3 + k] = a * (1 - fx) * (1 - fy) + b2 * fx * (1 - fy) + c2 * (1 - fx) * fy + d * fx * fy;
    }
  }
  const blurred = await sharp(out, { raw: { width: OW, height: OH, channels: 3 } }).blur(0.6 + r() * (o.blur ?? 0.6)).raw().toBuffer();
  for (let k = 0; k < blurred.length; k += 3) {
    const n = (r() + r() + r() - 1.5) * (o.noise ?? 16);
    for (let c3 = 0; c3 < 3; c3++) blurred[k + c3] = Math.max(0, Math.min(255, blurred[k + c3] + n));
  }
  await sharp(blurred, { raw: { width: OW, height: OH, channels: 3 } }).jpeg({ quality: o.quality ?? 60, mozjpeg: true, chromaSubsampling: '4:2:0' }).toFile(outJpg);
}
