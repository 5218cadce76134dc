// DOM helpers for the clerk UI. Elements are built with textContent only (never innerHTML
// with data), so document text cannot inject markup.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

/** `h('button', { type: 'button', onclick }, 'Save')`: an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset' && typeof v === 'object') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A data grid: the queue, quarantine and audit views share its markup and styles. */
export function gridTable(
  id: string,
  headings: (string | Node)[],
  tbody: HTMLTableSectionElement,
  caption?: string,
): HTMLTableElement {
  return h(
    'table',
    { class: 'grid', id },
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t)))),
    tbody,
  );
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
/** A short message in the live region at the bottom of the page. */
export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  const el = document.getElementById('toast')!;
  el.textContent = message;
  el.className = `show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.className = ''), kind === 'error' ? 6000 : 2500);
}

export const fmtDate = (iso: string | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
export const short = (id: string): string => id.slice(0, 12);
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The keystroke is going into a form field, not a shortcut. */
export function typing(e: Event): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable);
}

/** Any error as one line for the clerk. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
