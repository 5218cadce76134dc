/**
 * The sheet of paper in a phone photo, as a quadrilateral, and the warp that makes it a
 * rectangle again (perspective correction). Pure TypedArray code: sharp has affine
 * transforms only.
 */
import { type GrayImage, percentile, thumbnail } from './raster.ts';

export interface Point {
  x: number;
  y: number;
}

/** Corners of the sheet in image pixels: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** A line a·x + b·y = c with (a, b) of unit length. */
interface Line {
  a: number;
  b: number;
  c: number;
}

/** Total least squares line through points (the principal axis of their scatter). */
function fitLine(xs: number[], ys: number[]): Line | undefined {
  const n = xs.length;
  if (n < 5) return undefined;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  // Direction of the largest eigenvector; the normal is perpendicular to it.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const a = -Math.sin(theta);
  const b = Math.cos(theta);
  return { a, b, c: a * mx + b * my };
}

/**
 * The line most edge points lie on (RANSAC over point pairs, deterministic), refitted to its
 * inliers. Part of an edge may be off the line where the sheet leaves the frame or a shadow
 * crosses it. Undefined when fewer than `minShare` of the points are on one line.
 */
function ransacLine(pts: Point[], tolerance: number, minShare: number): Line | undefined {
  const n = pts.length;
  if (n < 10) return undefined;
  let best: Line | undefined;
  let bestCount = 0;
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let trial = 0; trial < 150; trial++) {
    const p = pts[Math.floor(rand() * n)]!;
    const q = pts[Math.floor(rand() * n)]!;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    if (len < n * 0.2) continue;
    const a = -(q.y - p.y) / len;
    const b = (q.x - p.x) / len;
    const c = a * p.x + b * p.y;
    let count = 0;
    for (const r of pts) if (Math.abs(a * r.x + b * r.y - c) <= tolerance) count++;
    if (count > bestCount) {
      bestCount = count;
      best = { a, b, c };
    }
  }
  if (!best || bestCount < n * minShare) return undefined;
  const line = best;
  const inliers = pts.filter((r) => Math.abs(line.a * r.x + line.b * r.y - line.c) <= tolerance);
  return fitLine(inliers.map((r) => r.x), inliers.map((r) => r.y)) ?? best;
}

function intersect(p: Line, q: Line): Point | undefined {
  const det = p.a * q.b - p.b * q.a;
  if (Math.abs(det) < 1e-9) return undefined;
  return { x: (p.c * q.b - p.b * q.c) / det, y: (p.a * q.c - p.c * q.a) / det };
}

const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Interior angle at b (degrees) of the path a → b → c. */
function angleAt(a: Point, b: Point, c: Point): number {
  const v1 = { x: a.x - b.x, y: a.y - b.y };
  const v2 = { x: c.x - b.x, y: c.y - b.y };
  const cos = (v1.x * v2.x + v1.y * v2.y) / (Math.hypot(v1.x, v1.y) * Math.hypot(v2.x, v2.y));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

export function quadArea(q: Quad): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += q[i]!.x * q[(i + 1) % 4]!.y - q[(i + 1) % 4]!.x * q[i]!.y;
  return Math.abs(s) / 2;
}

/**
 * The largest bright region of a photo (the paper on a darker desk), as four corners found by
 * fitting a straight line to each of its edges. Undefined when there is no clear sheet: the
 * region is too small, fills the frame (the photo is already cropped), or is not close to a
 * rectangle seen in perspective.
 */
export async function findPaperQuad(img: GrayImage): Promise<Quad | undefined> {
  const t = await thumbnail(img, 500);
  const { width: w, height: h, data } = t;
  // The desk is what the frame's border shows most; the paper is the bright end of the photo.
  // Split between them nearer the desk, so a shadowed or vignetted corner of the sheet stays paper.
  const ring: number[] = [];
  for (let x = 0; x < w; x++) ring.push(data[x]!, data[w + x]!, data[(h - 1) * w + x]!, data[(h - 2) * w + x]!);
  for (let y = 0; y < h; y++) ring.push(data[y * w]!, data[y * w + 1]!, data[y * w + w - 1]!, data[y * w + w - 2]!);
  ring.sort((a, b) => a - b);
  const desk = ring[Math.floor(ring.length / 2)]!;
  const paper = percentile(data, 0.9);
  // The paper must stand out: a desk about as bright as the sheet gives no edge to trust.
  if (paper - desk < 40) return undefined;
  const threshold = desk + 0.4 * (paper - desk);
  const bright = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) bright[i] = data[i]! > threshold ? 1 : 0;
  // Largest 4-connected bright component.
  const label = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  let best = -1;
  let bestArea = 0;
  for (let start = 0; start < w * h; start++) {
    if (!bright[start] || label[start] !== -1) continue;
    let sp = 0;
    let area = 0;
    stack[sp++] = start;
    label[start] = start;
    while (sp) {
      const p = stack[--sp]!;
      area++;
      const x = p % w;
      const visit = (q: number): void => {
        if (bright[q] && label[q] === -1) {
          label[q] = start;
          stack[sp++] = q;
        }
      };
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (p >= w) visit(p - w);
      if (p < w * (h - 1)) visit(p + w);
    }
    if (area > bestArea) {
      bestArea = area;
      best = start;
    }
  }
  if (best < 0 || bestArea < 0.2 * w * h) return undefined;
  const inSheet = (x: number, y: number): boolean => label[y * w + x] === best;
  // Edge points: first sheet pixel from each side, per row / column.
  const left: Point[] = [];
  const right: Point[] = [];
  const top: Point[] = [];
  const bottom: Point[] = [];
  let spanArea = 0;
  for (let y = 0; y < h; y++) {
    let x0 = -1;
    let x1 = -1;
    for (let x = 0; x < w; x++)
      if (inSheet(x, y)) {
        x0 = x;
        break;
      }
    if (x0 < 0) continue;
    for (let x = w - 1; x >= 0; x--)
      if (inSheet(x, y)) {
        x1 = x;
        break;
      }
    spanArea += x1 - x0 + 1;
    // A sheet edge on the frame's border is not an edge of the paper.
    if (x0 > 0) left.push({ x: x0, y });
    if (x1 < w - 1) right.push({ x: x1 + 1, y });
  }
  for (let x = 0; x < w; x++) {
    let y0 = -1;
    let y1 = -1;
    for (let y = 0; y < h; y++)
      if (inSheet(x, y)) {
        y0 = y;
        break;
      }
    if (y0 < 0) continue;
    for (let y = h - 1; y >= 0; y--)
      if (inSheet(x, y)) {
        y1 = y;
        break;
      }
    if (y0 > 0) top.push({ x, y: y0 });
    if (y1 < h - 1) bottom.push({ x, y: y1 + 1 });
  }
  // Keep the middle 70 % of each side: corners are rounded by blur and thresholding.
  const middle = (pts: Point[], along: 'x' | 'y'): Point[] => {
    if (pts.length < 10) return pts;
    const vals = pts.map((p) => p[along]).sort((a, b) => a - b);
    const lo = vals[Math.floor(vals.length * 0.15)]!;
    const hi = vals[Math.floor(vals.length * 0.85)]!;
    return pts.filter((p) => p[along] >= lo && p[along] <= hi);
  };
  const sides = [middle(top, 'x'), middle(right, 'y'), middle(bottom, 'x'), middle(left, 'y')];
  // Each side must be seen along a good part of its length (not hidden by the frame).
  if (sides[0]!.length < w * 0.2 || sides[2]!.length < w * 0.2 || sides[1]!.length < h * 0.2 || sides[3]!.length < h * 0.2) return undefined;
  const tol = Math.max(1.5, Math.min(w, h) * 0.006);
  // Each side straight over most of its length (a region that is not a sheet has ragged sides).
  const lines = sides.map((pts) => ransacLine(pts, tol, 0.6));
  if (lines.some((l) => !l)) return undefined;
  const [lt, lr, lb, ll] = lines as [Line, Line, Line, Line];
  const corners = [intersect(lt, ll), intersect(lt, lr), intersect(lb, lr), intersect(lb, ll)];
  if (corners.some((c) => !c)) return undefined;
  const s = 1 / t.scale;
  const quad = corners.map((c) => ({ x: c!.x * s, y: c!.y * s })) as Quad;
  // Convex, clockwise, corners within the frame (or a little outside: a corner cut off by the frame), angles of a rectangle in mild perspective.
  for (let i = 0; i < 4; i++) {
    const a = quad[(i + 3) % 4]!;
    const b = quad[i]!;
    const c = quad[(i + 1) % 4]!;
    if (cross(a, b, c) <= 0) return undefined;
    const angle = angleAt(a, b, c);
    if (angle < 65 || angle > 115) return undefined;
    if (b.x < -0.08 * img.width || b.x > 1.08 * img.width || b.y < -0.08 * img.height || b.y > 1.08 * img.height) return undefined;
  }
  const frac = quadArea(quad) / (img.width * img.height);
  if (frac < 0.2 || frac > 0.97) return undefined;
  // The sheet region (holes such as dark banners filled) fills its quad (in thumbnail pixels).
  if (spanArea < 0.85 * quadArea(quad) * t.scale * t.scale) return undefined;
  return quad;
}

/** Homography mapping the unit square's corners (0,0) (1,0) (1,1) (0,1) to the quad's (Heckbert's closed form). */
export function squareToQuad(q: Quad): number[] {
  const [p0, p1, p2, p3] = q;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  if (Math.abs(sx) < 1e-9 && Math.abs(sy) < 1e-9)
    return [p1.x - p0.x, p2.x - p1.x, p0.x, p1.y - p0.y, p2.y - p1.y, p0.y, 0, 0, 1];
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const hh = (dx1 * sy - sx * dy1) / den;
  return [p1.x - p0.x + g * p1.x, p3.x - p0.x + hh * p3.x, p0.x, p1.y - p0.y + g * p1.y, p3.y - p0.y + hh * p3.y, p0.y, g, hh, 1];
}

/** Output size for a quad: the mean lengths of its opposite sides. */
export function quadSize(q: Quad): { width: number; height: number } {
  const d = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
  return { width: (d(q[0], q[1]) + d(q[3], q[2])) / 2, height: (d(q[0], q[3]) + d(q[1], q[2])) / 2 };
}

/**
 * The quad's content as an upright `width`×`height` image (bilinear sampling; outside the
 * source is white). Scaling happens in the same pass, so a small photo is enlarged once.
 */
export function warpQuad(img: GrayImage, q: Quad, width: number, height: number): GrayImage {
  const W = Math.max(1, Math.round(width));
  const H = Math.max(1, Math.round(height));
  const [a, b, c, d, e, f, g, hh] = squareToQuad(q) as [number, number, number, number, number, number, number, number];
  const { data: src, width: sw, height: sh } = img;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const v = (y + 0.5) / H;
    for (let x = 0; x < W; x++) {
      const u = (x + 0.5) / W;
      const z = g * u + hh * v + 1;
      const px = (a * u + b * v + c) / z - 0.5;
      const py = (d * u + e * v + f) / z - 0.5;
      const x0 = Math.floor(px);
      const y0 = Math.floor(py);
      if (x0 < 0 || y0 < 0 || x0 >= sw - 1 || y0 >= sh - 1) {
        out[y * W + x] = 255;
        continue;
      }
      const fx = px - x0;
      const fy = py - y0;
      const i = y0 * sw + x0;
      const top = src[i]! + (src[i + 1]! - src[i]!) * fx;
      const bot = src[i + sw]! + (src[i + sw + 1]! - src[i + sw]!) * fx;
      out[y * W + x] = Math.round(top + (bot - top) * fy);
    }
  }
  return { data: out, width: W, height: H };
}
