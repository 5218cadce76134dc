// The record's page pane: page images sized from the manifest (lazy), the evidence boxes
// (small ones drawn above large ones, each a button), a transparent text layer for selecting
// words on the page, and marking a new box by dragging. A page's stored rotation (a view
// transform, degrees clockwise) turns its sheet — image, words and boxes together, the boxes
// staying in the unrotated image's pixels — and "⟳" turns it a further quarter.
import type { BBox } from '@intake/core';
import type { PageInfo } from './api.ts';
import { api } from './api.ts';
import { h } from './dom.ts';

export interface BoxItem {
  id: string;
  label: string;
  page: number;
  bbox: BBox;
  decision: string;
}

export interface TextSelection {
  page: number;
  text: string;
  bbox: BBox;
}

interface PageText {
  lines?: { text: string; bbox?: BBox }[];
}

type Rotation = 0 | 90 | 180 | 270;
const asRotation = (deg: number | undefined): Rotation => ((((Math.round((deg ?? 0) / 90) % 4) + 4) % 4) * 90) as Rotation;

interface PageEntry {
  el: HTMLElement;
  /** The unrotated page (image, text layer, boxes), turned by CSS as a whole. */
  sheet: HTMLElement;
  info: PageInfo;
  rotation: Rotation;
  text?: HTMLElement;
}

/** Size and turn a page's sheet inside its figure: the figure takes the rotated shape. */
function applyRotation(entry: PageEntry): void {
  const { width: w, height: hgt } = entry.info;
  const quarter = entry.rotation === 90 || entry.rotation === 270;
  entry.el.dataset.rotation = String(entry.rotation);
  entry.el.style.aspectRatio = quarter ? `${hgt} / ${w}` : `${w} / ${hgt}`;
  Object.assign(entry.sheet.style, {
    // Unrotated, the sheet is the figure's height wide and its width high (in % of the figure).
    width: quarter ? `${(w / hgt) * 100}%` : '100%',
    height: quarter ? `${(hgt / w) * 100}%` : '100%',
    transform: `translate(-50%, -50%) rotate(${entry.rotation}deg)`,
  });
}

/** A point in the figure (0–1 across and down, as shown) as a point of the unrotated page (0–1). */
function unrotate(u: number, v: number, rotation: Rotation): [number, number] {
  switch (rotation) {
    case 90:
      return [v, 1 - u];
    case 180:
      return [1 - u, 1 - v];
    case 270:
      return [1 - v, u];
    case 0:
      return [u, v];
  }
}

export class PagesPane {
  readonly el: HTMLElement;
  private readonly pages = new Map<number, PageEntry>();
  private readonly boxesByItem = new Map<string, HTMLButtonElement>();
  private onMarked: ((page: number, bbox: BBox) => void) | null = null;
  private drag: { entry: PageEntry; rect: DOMRect; x: number; y: number; el: HTMLElement } | null = null;
  private readonly selectionButton: HTMLButtonElement;
  private pendingSelection: TextSelection | null = null;

  constructor(
    private readonly docId: string,
    pages: PageInfo[],
    emptyText: string,
    private readonly on: {
      box(ids: string[]): void;
      selection(sel: TextSelection): void;
      status?(message: string, error?: boolean): void;
    },
    options: { rotatable?: boolean } = {},
  ) {
    this.el = h('div', { class: 'pages', id: 'pages', tabindex: '0', role: 'region', 'aria-label': 'Pages of the document' });
    const frag = document.createDocumentFragment();
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries)
        if (e.isIntersecting) {
          observer.unobserve(e.target);
          void this.loadText(Number((e.target as HTMLElement).dataset.page));
        }
    });
    // The sheet's layout width (transforms aside) over the image's pixels: the scale of the words drawn on it.
    const sizes = new ResizeObserver((entries) => {
      for (const e of entries) {
        const info = this.pages.get(Number((e.target as HTMLElement).dataset.page))?.info;
        if (info?.width) (e.target as HTMLElement).style.setProperty('--scale', String(e.contentRect.width / info.width));
      }
    });
    for (const p of pages) {
      const page = h('figure', { class: 'page', id: `page-${p.page}`, dataset: { page: String(p.page) } });
      const sheet = h('div', { class: 'sheet', dataset: { page: String(p.page) } });
      const entry: PageEntry = { el: page, sheet, info: p, rotation: asRotation(p.rotation) };
      const caption = h('figcaption', {}, `${p.page} / ${pages.length}`);
      if (p.image && p.width > 0 && p.height > 0) {
        sheet.append(
          h('img', {
            src: `/api/documents/${docId}/pages/${p.page}/image`,
            loading: 'lazy',
            decoding: 'async',
            alt: `Page ${p.page} of ${pages.length}`,
            draggable: 'false',
          }),
        );
        page.append(sheet);
        applyRotation(entry);
        observer.observe(page);
        sizes.observe(sheet);
        if (options.rotatable) {
          const rotate = h(
            'button',
            {
              type: 'button',
              class: 'small rotate-page',
              'aria-label': `Rotate page ${p.page} a quarter turn clockwise`,
              title: 'Rotate a quarter turn clockwise',
            },
            '⟳',
          );
          rotate.addEventListener('click', () => void this.rotate(p.page, rotate));
          caption.append(' ', rotate);
        }
      } else {
        page.classList.add('no-image');
        page.append(h('p', { class: 'muted' }, `Page ${p.page}: no image (${p.method})`));
      }
      page.append(caption);
      this.pages.set(p.page, entry);
      frag.append(page);
    }
    if (pages.length === 0) frag.append(h('p', { class: 'empty' }, emptyText));
    this.selectionButton = h(
      'button',
      { type: 'button', class: 'selection-add primary', id: 'add-from-selection', hidden: true },
      '+ Add item from selection',
    );
    this.selectionButton.addEventListener('mousedown', (e) => e.preventDefault());
    this.selectionButton.addEventListener('click', () => {
      const sel = this.pendingSelection;
      this.hideSelectionButton();
      if (sel) this.on.selection(sel);
    });
    frag.append(this.selectionButton);
    this.el.append(frag);
    this.wireMouse();
  }

  pageInfo(page: number): PageInfo | undefined {
    return this.pages.get(page)?.info;
  }

  /** A page's rotation as shown (degrees clockwise). */
  rotationOf(page: number): number {
    return this.pages.get(page)?.rotation ?? 0;
  }

  /** Turn a page a quarter clockwise (POST …/rotate: a view transform, the image is not changed). */
  private async rotate(page: number, button: HTMLButtonElement): Promise<void> {
    const entry = this.pages.get(page);
    if (!entry) return;
    const next = asRotation(entry.rotation + 90);
    button.disabled = true;
    try {
      const out = await api<{ rotation: number }>('POST', `/api/documents/${this.docId}/pages/${page}/rotate`, {
        rotation: next,
      });
      entry.rotation = asRotation(out.rotation);
      applyRotation(entry);
      this.on.status?.(`Page ${page} rotated to ${entry.rotation}°.`);
    } catch (err) {
      this.on.status?.(err instanceof Error ? err.message : String(err), true);
    } finally {
      button.disabled = false;
      button.focus();
    }
  }

  /** The first page at least partly in view. */
  visiblePage(): number | undefined {
    const top = this.el.getBoundingClientRect().top + 40;
    return [...this.pages.values()].find(({ el }) => el.getBoundingClientRect().bottom > top)?.info.page;
  }

  scrollToPage(page: number): void {
    this.pages.get(page)?.el.scrollIntoView({ block: 'start' });
  }

  /** Text lines of a page, drawn transparent over the image so the clerk can select words. */
  private async loadText(page: number): Promise<void> {
    const entry = this.pages.get(page);
    if (!entry || entry.text) return;
    entry.text = h('div', { class: 'text-layer', 'aria-hidden': 'true' });
    entry.sheet.prepend(entry.text);
    let data: PageText;
    try {
      data = await api<PageText>('GET', `/api/documents/${this.docId}/pages/${page}/text`);
    } catch {
      return;
    }
    const { width, height } = entry.info;
    for (const line of data.lines ?? []) {
      if (!line.bbox || !line.text.trim()) continue;
      const [x0, y0, x1, y1] = line.bbox;
      entry.text.append(
        h(
          'span',
          {
            dataset: { bbox: line.bbox.join(',') },
            style: {
              left: `${(x0 / width) * 100}%`,
              top: `${(y0 / height) * 100}%`,
              width: `${((x1 - x0) / width) * 100}%`,
              height: `${((y1 - y0) / height) * 100}%`,
              fontSize: `calc(var(--scale, 1) * ${Math.round((y1 - y0) * 0.8)}px)`,
            },
          },
          line.text,
        ),
      );
    }
  }

  /** Draw every item's box; boxes sharing a rectangle are one box. Larger boxes first, so smaller ones lie above. */
  drawBoxes(items: BoxItem[]): void {
    this.el.querySelectorAll('.box').forEach((b) => b.remove());
    this.boxesByItem.clear();
    const byKey = new Map<string, { page: number; bbox: BBox; items: BoxItem[] }>();
    for (const it of items) {
      if (!this.pages.get(it.page)?.info.width) continue;
      const key = `${it.page}:${it.bbox.join(',')}`;
      const group = byKey.get(key) ?? { page: it.page, bbox: it.bbox, items: [] };
      group.items.push(it);
      byKey.set(key, group);
    }
    const area = (b: BBox) => Math.abs((b[2] - b[0]) * (b[3] - b[1]));
    const groups = [...byKey.values()].sort((a, b) => a.page - b.page || area(b.bbox) - area(a.bbox));
    groups.forEach((g, n) => {
      const page = this.pages.get(g.page)!;
      const { width: w, height: hh } = page.info;
      const [x0, y0, x1, y1] = g.bbox;
      const ids = g.items.map((i) => i.id);
      const box = h('button', {
        type: 'button',
        class: 'box',
        dataset: { items: ids.join(' ') },
        'aria-label': `Evidence on page ${g.page}: ${g.items.map((i) => i.label).join('; ')}`,
        title: g.items.map((i) => i.label).join('\n'),
        style: {
          left: `${(x0 / w) * 100}%`,
          top: `${(y0 / hh) * 100}%`,
          width: `${((x1 - x0) / w) * 100}%`,
          height: `${((y1 - y0) / hh) * 100}%`,
          // Smaller boxes above larger ones: a block around several lines never hides a line's box.
          zIndex: String(2 + n),
        },
      });
      box.addEventListener('click', (e) => {
        e.stopPropagation();
        this.on.box(ids);
      });
      if (g.items.every((i) => i.decision === 'rejected')) box.classList.add('rejected');
      if (g.items.some((i) => i.decision === 'added')) box.classList.add('added');
      // On the sheet (turned with the page), before the caption, so Tab order follows the page.
      page.sheet.append(box);
      for (const id of ids) this.boxesByItem.set(id, box);
    });
  }

  /** Highlight an item's box (and scroll it into view). */
  activate(itemId: string | undefined, page: number | undefined, scroll: boolean): void {
    this.el.querySelectorAll('.box.active').forEach((b) => b.classList.remove('active'));
    const box = itemId ? this.boxesByItem.get(itemId) : undefined;
    box?.classList.add('active');
    if (!scroll) return;
    if (box) box.scrollIntoView({ block: 'center', inline: 'nearest' });
    else if (page) this.scrollToPage(page);
  }

  boxOf(itemId: string): HTMLButtonElement | undefined {
    return this.boxesByItem.get(itemId);
  }

  startMarking(callback: (page: number, bbox: BBox) => void): void {
    this.onMarked = callback;
    this.el.classList.add('marking');
  }

  stopMarking(): void {
    this.onMarked = null;
    this.el.classList.remove('marking');
  }

  private hideSelectionButton(): void {
    this.selectionButton.hidden = true;
    this.pendingSelection = null;
  }

  /** The selected words on one page: their text and the box around their lines, in page pixels. */
  private readSelection(): TextSelection | null {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
    const range = sel.getRangeAt(0);
    const layer = (
      range.commonAncestorContainer instanceof Element
        ? range.commonAncestorContainer
        : range.commonAncestorContainer.parentElement
    )?.closest('.text-layer');
    const pageEl = layer?.closest<HTMLElement>('.page');
    const text = sel.toString().replace(/\s+/g, ' ').trim();
    if (!layer || !pageEl || !text) return null;
    const spans = [...layer.querySelectorAll<HTMLElement>('span[data-bbox]')].filter((s) => range.intersectsNode(s));
    if (!spans.length) return null;
    const boxes = spans.map((s) => (s.dataset.bbox ?? '').split(',').map(Number) as BBox);
    const bbox: BBox = [
      Math.min(...boxes.map((b) => b[0])),
      Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])),
      Math.max(...boxes.map((b) => b[3])),
    ];
    return { page: Number(pageEl.dataset.page), text, bbox };
  }

  private wireMouse(): void {
    const pane = this.el;
    pane.addEventListener('mousedown', (e) => {
      if (e.target === this.selectionButton) return;
      this.hideSelectionButton();
      const pageEl = this.onMarked ? (e.target as Element).closest<HTMLElement>('.page') : null;
      const entry = pageEl ? this.pages.get(Number(pageEl.dataset.page)) : undefined;
      if (!pageEl || !entry?.info.width) return;
      e.preventDefault();
      // Drawn on the sheet, in the unrotated page's terms: it turns with the page.
      const el = h('div', { class: 'box drawing' });
      entry.sheet.append(el);
      this.drag = { entry, rect: pageEl.getBoundingClientRect(), x: e.clientX, y: e.clientY, el };
    });
    /** The dragged rectangle as fractions (0–1) of the unrotated page. */
    const dragBox = (e: MouseEvent) => {
      const { rect, x, y, entry } = this.drag!;
      const clamp = (v: number) => Math.max(0, Math.min(1, v));
      const a = unrotate(clamp((x - rect.left) / rect.width), clamp((y - rect.top) / rect.height), entry.rotation);
      const b = unrotate(
        clamp((e.clientX - rect.left) / rect.width),
        clamp((e.clientY - rect.top) / rect.height),
        entry.rotation,
      );
      const shown = { w: Math.abs(e.clientX - x), h: Math.abs(e.clientY - y) };
      return { x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]), shown };
    };
    pane.addEventListener('mousemove', (e) => {
      if (!this.drag) return;
      const b = dragBox(e);
      Object.assign(this.drag.el.style, {
        left: `${b.x0 * 100}%`,
        top: `${b.y0 * 100}%`,
        width: `${(b.x1 - b.x0) * 100}%`,
        height: `${(b.y1 - b.y0) * 100}%`,
      });
    });
    pane.addEventListener('mouseup', (e) => {
      if (!this.drag) {
        // Not marking: words selected on the page offer to become an item.
        const sel = this.readSelection();
        if (sel) {
          this.pendingSelection = sel;
          const paneRect = pane.getBoundingClientRect();
          this.selectionButton.style.left = `${e.clientX - paneRect.left + pane.scrollLeft + 8}px`;
          this.selectionButton.style.top = `${e.clientY - paneRect.top + pane.scrollTop + 8}px`;
          this.selectionButton.hidden = false;
        }
        return;
      }
      const b = dragBox(e);
      const pageNo = this.drag.entry.info.page;
      const { width, height } = this.drag.entry.info;
      this.drag.el.remove();
      this.drag = null;
      if (b.shown.w < 4 || b.shown.h < 4) return;
      const bbox: BBox = [
        Math.round(b.x0 * width),
        Math.round(b.y0 * height),
        Math.round(b.x1 * width),
        Math.round(b.y1 * height),
      ];
      const done = this.onMarked;
      this.stopMarking();
      done?.(pageNo, bbox);
    });
  }
}
