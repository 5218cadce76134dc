// The record's page pane: page images sized from the manifest (lazy), the evidence boxes
// (small ones drawn above large ones, each a button), a transparent text layer for selecting
// words on the page, and marking a new box by dragging.
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

export class PagesPane {
  readonly el: HTMLElement;
  private readonly pages = new Map<number, { el: HTMLElement; info: PageInfo; text?: HTMLElement }>();
  private readonly boxesByItem = new Map<string, HTMLButtonElement>();
  private onMarked: ((page: number, bbox: BBox) => void) | null = null;
  private drag: { pageEl: HTMLElement; rect: DOMRect; x: number; y: number; el: HTMLElement } | null = null;
  private readonly selectionButton: HTMLButtonElement;
  private pendingSelection: TextSelection | null = null;

  constructor(
    private readonly docId: string,
    pages: PageInfo[],
    emptyText: string,
    private readonly on: { box(ids: string[]): void; selection(sel: TextSelection): void },
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
    const sizes = new ResizeObserver((entries) => {
      for (const e of entries) {
        const info = this.pages.get(Number((e.target as HTMLElement).dataset.page))?.info;
        if (info?.width) (e.target as HTMLElement).style.setProperty('--scale', String(e.contentRect.width / info.width));
      }
    });
    for (const p of pages) {
      const page = h('figure', { class: 'page', id: `page-${p.page}`, dataset: { page: String(p.page) } });
      if (p.image && p.width > 0 && p.height > 0) {
        page.style.aspectRatio = `${p.width} / ${p.height}`;
        page.append(
          h('img', {
            src: `/api/documents/${docId}/pages/${p.page}/image`,
            loading: 'lazy',
            decoding: 'async',
            alt: `Page ${p.page} of ${pages.length}`,
            draggable: 'false',
          }),
        );
        observer.observe(page);
        sizes.observe(page);
      } else {
        page.classList.add('no-image');
        page.append(h('p', { class: 'muted' }, `Page ${p.page}: no image (${p.method})`));
      }
      page.append(h('figcaption', {}, `${p.page} / ${pages.length}`));
      this.pages.set(p.page, { el: page, info: p });
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
    entry.el.prepend(entry.text);
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
      // Before the caption, so Tab order follows the page.
      page.el.insertBefore(box, page.el.querySelector('figcaption'));
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
      if (!pageEl || !this.pages.get(Number(pageEl.dataset.page))?.info.width) return;
      e.preventDefault();
      const el = h('div', { class: 'box drawing' });
      pageEl.append(el);
      this.drag = { pageEl, rect: pageEl.getBoundingClientRect(), x: e.clientX, y: e.clientY, el };
    });
    const dragBox = (e: MouseEvent) => {
      const { rect, x, y } = this.drag!;
      const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
      const x0 = clamp(Math.min(x, e.clientX), rect.left, rect.right) - rect.left;
      const x1 = clamp(Math.max(x, e.clientX), rect.left, rect.right) - rect.left;
      const y0 = clamp(Math.min(y, e.clientY), rect.top, rect.bottom) - rect.top;
      const y1 = clamp(Math.max(y, e.clientY), rect.top, rect.bottom) - rect.top;
      return { x0, x1, y0, y1, w: rect.width, h: rect.height };
    };
    pane.addEventListener('mousemove', (e) => {
      if (!this.drag) return;
      const b = dragBox(e);
      Object.assign(this.drag.el.style, {
        left: `${(b.x0 / b.w) * 100}%`,
        top: `${(b.y0 / b.h) * 100}%`,
        width: `${((b.x1 - b.x0) / b.w) * 100}%`,
        height: `${((b.y1 - b.y0) / b.h) * 100}%`,
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
      const pageNo = Number(this.drag.pageEl.dataset.page);
      const { width, height } = this.pages.get(pageNo)!.info;
      this.drag.el.remove();
      this.drag = null;
      if (b.x1 - b.x0 < 4 || b.y1 - b.y0 < 4) return;
      const px = (v: number, size: number, full: number) => Math.round((v / size) * full);
      const bbox: BBox = [px(b.x0, b.w, width), px(b.y0, b.h, height), px(b.x1, b.w, width), px(b.y1, b.h, height)];
      const done = this.onMarked;
      this.stopMarking();
      done?.(pageNo, bbox);
    });
  }
}
