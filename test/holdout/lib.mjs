// Helpers for the hand-made held-out corpus: item builders, HTML page shell, Chromium print,
// text-layer self-check, and the fax / phone-photo degradations.
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
const meta = (o) => pick(o, ['page', 'ev', 'optional']);

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
export function screen(type, display, date, result, o = {}) {
  return base('screening', display, { type, ...(date ? { date } : {}), ...(result ? { result } : {}), ...meta(o) });
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
export function prov(name, display, o = {}) {
  return base('provider', display, { name, ...pick(o, ['organization', 'phone', 'fax', 'address', 'role']), ...meta(o) });
}
export function truthItem(it) {
  return Object.fromEntries(Object.entries(it).filter(([k]) => k !== 'page' && k !== 'ev'));
}

// ---------- HTML ----------
export const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export function htmlDoc(title, css, pages) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
@page { size: 8.5in 11in; margin: 0 }
html, body { margin: 0; padding: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact }
.page { width: 8.5in; height: 11in; box-sizing: border-box; position: relative; overflow: hidden; page-break-after: always; break-after: page }
.page:last-child { page-break-after: auto; break-after: auto }
${css}
</style></head><body>${pages.map((p) => `<section class="page ${p.cls ?? ''}">${p.html}</section>`).join('\n')}</body></html>`;
}

// ---------- rendering ----------
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export function printPdf(html, outPdf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-'));
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
    for (const ev of evs) if (!texts[(it.page ?? 1) - 1]?.includes(squash(ev))) problems.push(`${path.basename(pdf)} p${it.page ?? 1}: "${ev}" not in text layer`);
  }
  return problems;
}

function rasterize(pdf, args, first, last) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-r-'));
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

/** Fax: 204x196 dpi gray raster, skew, speckle, dropout streak, fax header line, threshold → multi-page G4 TIFF. */
export async function makeFax(pdf, outTiff, o) {
  const r = rng(seedOf(outTiff));
  const pages = rasterize(pdf, ['-rx', '204', '-ry', '196', '-gray'], 1, pdfPages(pdf));
  const out = [];
  for (let i = 0; i < pages.length; i++) {
    const deg = (r() < 0.5 ? -1 : 1) * (0.3 + r() * 0.9);
    let img = await rotateKeep(await sharp(pages[i]).greyscale().png().toBuffer(), deg, { r: 255, g: 255, b: 255 });
    const { data, info } = await sharp(img).greyscale().raw().toBuffer({ resolveWithObject: true });
    const W = info.width, H = info.height;
    const nSpeck = Math.round(W * H * 0.0006);
    for (let k = 0; k < nSpeck; k++) {
      const x = Math.floor(r() * W), y = Math.floor(r() * H), s = r() < 0.15 ? 2 : 1;
      for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) if (x + dx < W && y + dy < H) data[(y + dy) * W + x + dx] = 0;
    }
    const streakX = Math.floor(W * (0.2 + r() * 0.6));
    for (let y = 0; y < H; y++) if (r() < 0.7) data[y * W + streakX] = Math.min(255, data[y * W + streakX] + 120); // light dropout line
    const fontPx = Math.round((H / 11) * 0.11); // ~0.11 in tall on a letter page
    const header = `${o.date} ${o.time}   FROM: ${o.from}   ${o.fromFax}   TO: ${o.to}   ${o.pageFmt === 'PAGE' ? `PAGE ${i + 1}/${pages.length}` : `P.${String(i + 1).padStart(3, '0')}/${String(pages.length).padStart(3, '0')}`}`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${fontPx + 14}"><rect width="100%" height="100%" fill="white"/><text x="${Math.round(W * 0.03)}" y="${fontPx + 4}" font-family="Courier Prime, DejaVu Sans Mono" font-size="${fontPx}" font-weight="bold" fill="black">${esc(header)}</text></svg>`;
    img = await sharp(data, { raw: { width: W, height: H, channels: 1 } })
      .composite([{ input: Buffer.from(svg), top: 6, left: 0 }])
      .removeAlpha().greyscale().threshold(150 + Math.floor(r() * 30)).png().toBuffer();
    out.push(img);
  }
  await sharp(out.length > 1 ? out : out[0], out.length > 1 ? { join: { animated: true } } : {}).toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 204 / 25.4, yres: 196 / 25.4 }).toFile(outTiff);
  return out.length;
}

/** Phone photo of one page: 150 dpi, warm tint, lighting falloff, desk margin, 2–4° rotation, blur, noise → JPEG. */
export async function makePhoto(pdf, page, outJpg) {
  const r = rng(seedOf(outJpg));
  const [png] = rasterize(pdf, ['-r', '150'], page, page);
  const m = await sharp(png).metadata();
  const W = m.width, H = m.height;
  const cx = Math.round(W * (0.3 + r() * 0.4)), cy = Math.round(H * (0.25 + r() * 0.3));
  const light = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><radialGradient id="g" cx="${cx}" cy="${cy}" r="${Math.round(H * 0.95)}" gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#9a9388"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  let img = await sharp(png).removeAlpha().toColourspace('srgb')
    .composite([{ input: Buffer.from(light), blend: 'multiply' }])
    .recomb([[1.04, 0.02, 0], [0, 0.97, 0], [0, 0, 0.82]]).png().toBuffer();
  const desk = [{ r: 92, g: 70, b: 52 }, { r: 58, g: 62, b: 70 }, { r: 120, g: 104, b: 86 }][Math.floor(r() * 3)];
  const mx = Math.round(W * (0.06 + r() * 0.05)), my = Math.round(H * (0.05 + r() * 0.04));
  img = await sharp(img).extend({ top: my, bottom: my + Math.round(r() * 30), left: mx, right: mx + Math.round(r() * 30), background: desk }).png().toBuffer();
  const deg = (r() < 0.5 ? -1 : 1) * (2 + r() * 2);
  img = await sharp(img).rotate(deg, { background: desk }).blur(0.7 + r() * 0.5).png().toBuffer();
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let k = 0; k < data.length; k += 3) {
    const n = (r() + r() + r() - 1.5) * 14;
    for (let c = 0; c < 3; c++) data[k + c] = Math.max(0, Math.min(255, data[k + c] + n));
  }
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 62, mozjpeg: true, chromaSubsampling: '4:2:0' }).toFile(outJpg);
}
