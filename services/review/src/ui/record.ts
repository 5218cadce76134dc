// One record: page images on the left with the evidence boxes, the items and the member link
// on the right; the clerk decides each item and saves a revision.
import type { BBox, Item, ItemDecision, ReviewedItem, ReviewState } from '@intake/core';
import { api, ApiError, me, releaseLease, type Member, type PageInfo, type RecordResponse, type SaveResponse } from './api.ts';
import { fmtDate, h, message, short, toast, typing } from './dom.ts';
import type { View } from './keyboard.ts';
import {
  CODE_SYSTEMS,
  DATE_FIELDS,
  hasRole,
  isPartialDate,
  ITEM_KINDS,
  itemSummary,
  KIND_FIELDS,
  SCREENING_TYPES,
  stateLabel,
  systemName,
  type ItemKind,
} from './model.ts';
import { nextInQueue } from './queue.ts';

type SaveState = Exclude<ReviewState, 'pending'>;
interface Row extends ReviewedItem {
  original?: Item;
}
type Fields = Record<string, unknown>;

export async function recordView(
  view: HTMLElement,
  docId: string,
  nav: { navigate(path: string): Promise<void>; reload(): void },
): Promise<View> {
  const isSupervisor = hasRole(me.role, 'supervisor');
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const t0 = performance.now();
  const rec = await api<RecordResponse>('GET', `/api/documents/${docId}`);
  const finished = rec.state === 'approved' || rec.state === 'rejected';
  const s = {
    items: rec.items.map((i): Row => ({ ...i, item: structuredClone(i.item) })),
    selected: 0,
    memberId: rec.memberId ?? '',
    latest: rec.latestRevision,
    state: rec.state,
    dirty: false,
    editing: null as string | null,
    lease: false,
    readOnly: true,
    nextAdded: 1 + Math.max(0, ...rec.items.filter((i) => i.id.startsWith('a')).map((i) => Number(i.id.slice(1)))),
  };
  let renewTimer: ReturnType<typeof setInterval> | undefined;

  // --- layout ---
  const pagesPane = h('div', { class: 'pages', id: 'pages', tabindex: '-1' });
  const itemsList = h('ol', { class: 'items', id: 'items' });
  const memberBox = h('section', { class: 'member', id: 'member' });
  const warningsBox = h('div', { id: 'warnings' });
  const leaseBox = h('div', { id: 'lease' });
  const actions = h('div', { class: 'actions', id: 'actions' });
  const title = h('h1', {}, `Document ${short(docId)}`);
  const stateBadge = h('span', { class: `state ${rec.state}`, id: 'record-state' }, stateLabel(rec.state));
  const meta = h(
    'p',
    { class: 'muted' },
    rec.intake
      ? `${rec.intake.channel} · received ${fmtDate(rec.intake.receivedAt)} · ${rec.pages.length} page${rec.pages.length === 1 ? '' : 's'} · `
      : '',
    rec.intake?.fileName ?? '',
    rec.receipts.length > 1 ? ` · received ${rec.receipts.length} times` : '',
  );
  const revisionList = rec.revisions.length
    ? h(
        'details',
        { class: 'revisions', id: 'revisions' },
        h('summary', {}, `${rec.revisions.length} revision${rec.revisions.length === 1 ? '' : 's'} (kept, never overwritten)`),
        h(
          'ol',
          {},
          ...rec.revisions.map((r) =>
            h('li', {}, `r${r.revision} · ${stateLabel(r.state)} · ${r.by} · ${fmtDate(r.at)}`, r.note ? ` · ${r.note}` : ''),
          ),
        ),
      )
    : null;
  const side = h(
    'aside',
    { class: 'side' },
    h('div', { class: 'record-head' }, title, stateBadge),
    meta,
    revisionList,
    leaseBox,
    warningsBox,
    memberBox,
    h(
      'div',
      { class: 'items-head' },
      h('h2', {}, 'Items'),
      h('button', { type: 'button', id: 'add-item', onclick: () => addItem() }, '+ Add missed item (i)'),
    ),
    itemsList,
    actions,
  );
  view.replaceChildren(h('section', { class: 'record' }, pagesPane, side));

  // --- pages: sized from the manifest so layout is right before any image loads; images lazy ---
  const boxesByItem = new Map<string, HTMLElement>();
  const pageEls = new Map<number, { el: HTMLElement; info: PageInfo }>();
  const frag = document.createDocumentFragment();
  for (const p of rec.pages) {
    const page = h('figure', { class: 'page', id: `page-${p.page}`, dataset: { page: String(p.page) } });
    if (p.image && p.width > 0 && p.height > 0) {
      page.style.aspectRatio = `${p.width} / ${p.height}`;
      page.append(
        h('img', {
          src: `/api/documents/${docId}/pages/${p.page}/image`,
          loading: 'lazy',
          decoding: 'async',
          alt: `Page ${p.page}`,
          draggable: 'false',
        }),
      );
    } else {
      page.classList.add('no-image');
      page.append(h('p', { class: 'muted' }, `Page ${p.page}: no image (${p.method})`));
    }
    page.append(h('figcaption', {}, `${p.page} / ${rec.pages.length}`));
    pageEls.set(p.page, { el: page, info: p });
    frag.append(page);
  }
  if (rec.pages.length === 0)
    frag.append(
      h(
        'p',
        { class: 'muted' },
        rec.stage === 'quarantined' ? `Quarantined: ${rec.quarantineReason ?? ''}` : 'No pages read yet.',
      ),
    );
  pagesPane.append(frag);

  // Marking evidence: the next drag on a page becomes the item's box, in page pixels.
  let onMarked: ((page: number, bbox: BBox) => void) | null = null;
  let drag: { pageEl: HTMLElement; rect: DOMRect; x: number; y: number; el: HTMLElement } | null = null;
  function startMarking(callback: (page: number, bbox: BBox) => void): void {
    onMarked = callback;
    pagesPane.classList.add('marking');
  }
  pagesPane.addEventListener('mousedown', (e) => {
    const pageEl = onMarked ? (e.target as Element).closest<HTMLElement>('.page') : null;
    if (!pageEl || !pageEls.get(Number(pageEl.dataset.page))?.info.width) return;
    e.preventDefault();
    const el = h('div', { class: 'box drawing' });
    pageEl.append(el);
    drag = { pageEl, rect: pageEl.getBoundingClientRect(), x: e.clientX, y: e.clientY, el };
  });
  const dragBox = (e: MouseEvent) => {
    const { rect, x, y } = drag!;
    const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
    const x0 = clamp(Math.min(x, e.clientX), rect.left, rect.right) - rect.left;
    const x1 = clamp(Math.max(x, e.clientX), rect.left, rect.right) - rect.left;
    const y0 = clamp(Math.min(y, e.clientY), rect.top, rect.bottom) - rect.top;
    const y1 = clamp(Math.max(y, e.clientY), rect.top, rect.bottom) - rect.top;
    return { x0, x1, y0, y1, w: rect.width, h: rect.height };
  };
  pagesPane.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const b = dragBox(e);
    Object.assign(drag.el.style, {
      left: `${(b.x0 / b.w) * 100}%`,
      top: `${(b.y0 / b.h) * 100}%`,
      width: `${((b.x1 - b.x0) / b.w) * 100}%`,
      height: `${((b.y1 - b.y0) / b.h) * 100}%`,
    });
  });
  pagesPane.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const b = dragBox(e);
    const pageNo = Number(drag.pageEl.dataset.page);
    const { width, height } = pageEls.get(pageNo)!.info;
    drag.el.remove();
    drag = null;
    if (b.x1 - b.x0 < 4 || b.y1 - b.y0 < 4) return;
    const px = (v: number, size: number, full: number) => Math.round((v / size) * full);
    const bbox: BBox = [px(b.x0, b.w, width), px(b.y0, b.h, height), px(b.x1, b.w, width), px(b.y1, b.h, height)];
    pagesPane.classList.remove('marking');
    const done = onMarked;
    onMarked = null;
    done?.(pageNo, bbox);
  });

  function drawBoxes(): void {
    pagesPane.querySelectorAll('.box').forEach((b) => b.remove());
    boxesByItem.clear();
    const byKey = new Map<string, HTMLElement>();
    s.items.forEach((ri) => {
      const ev = ri.item.evidence;
      const page = ev && pageEls.get(ev.page);
      if (!ev?.bbox || !page || !page.info.width) return;
      const key = `${ev.page}:${ev.bbox.join(',')}`;
      let box = byKey.get(key);
      if (!box) {
        const [x0, y0, x1, y1] = ev.bbox;
        const { width: w, height: hh } = page.info;
        // Percentages of the page: the box scales with the displayed image, whatever its size.
        const el = h('div', {
          class: 'box',
          dataset: { items: '' },
          style: {
            left: `${(x0 / w) * 100}%`,
            top: `${(y0 / hh) * 100}%`,
            width: `${((x1 - x0) / w) * 100}%`,
            height: `${((y1 - y0) / hh) * 100}%`,
          },
          title: 'Show the items from this box',
          onclick: (e: Event) => {
            e.stopPropagation();
            selectBox(el);
          },
        });
        box = el;
        byKey.set(key, box);
        page.el.append(box);
      }
      box.dataset.items = box.dataset.items ? `${box.dataset.items} ${ri.id}` : ri.id;
      if (ri.decision === 'rejected') box.classList.add('rejected');
      if (ri.decision === 'added') box.classList.add('added');
      boxesByItem.set(ri.id, box);
    });
  }

  function selectBox(box: HTMLElement): void {
    const ids = (box.dataset.items ?? '').split(' ');
    const first = s.items.findIndex((i) => ids.includes(i.id));
    itemsList
      .querySelectorAll<HTMLElement>('li')
      .forEach((li) => li.classList.toggle('from-box', ids.includes(li.dataset.id ?? '')));
    if (first >= 0) select(first, { scrollPage: false });
  }

  // --- items ---
  function renderItems(): void {
    itemsList.replaceChildren(
      ...s.items.map((ri, n) => {
        const it = ri.item;
        const code = it.codes?.[0];
        const button = (cls: string, label: string, key: string, run: () => void) =>
          h(
            'button',
            {
              type: 'button',
              class: cls,
              title: `${label} (${key})`,
              onclick: (e: Event) => {
                e.stopPropagation();
                select(n);
                run();
              },
            },
            label,
          );
        return h(
          'li',
          { class: `item ${ri.decision}`, dataset: { id: ri.id, kind: it.kind }, onclick: () => select(n) },
          h(
            'div',
            { class: 'item-line' },
            h('span', { class: `kind ${it.kind}` }, it.kind),
            h('span', { class: 'display' }, it.negated ? `NOT: ${it.display}` : it.display),
            h('span', { class: `decision ${ri.decision}` }, ri.decision),
          ),
          h(
            'div',
            { class: 'item-detail' },
            itemSummary(it),
            code ? h('span', { class: 'code' }, `${systemName(code.system)} ${code.code}`) : null,
            it.evidence ? h('span', { class: 'page-ref' }, `p.${it.evidence.page}`) : null,
            typeof it.confidence === 'number' && ri.decision === 'pending'
              ? h('span', { class: it.confidence < 0.6 ? 'conf low' : 'conf' }, `${Math.round(it.confidence * 100)}%`)
              : null,
          ),
          !s.readOnly
            ? h(
                'div',
                { class: 'item-buttons' },
                button('accept', 'Accept', 'a', () => decide('accepted')),
                button('edit', 'Edit', 'e', () => edit()),
                button('reject', 'Reject', 'r', () => decide('rejected')),
              )
            : null,
        );
      }),
    );
    if (s.items.length === 0)
      itemsList.append(h('li', { class: 'muted' }, rec.extracted ? 'No items were extracted.' : 'Not extracted yet.'));
    drawBoxes();
    select(s.selected, { scrollPage: false, scrollList: false });
  }

  function select(n: number, { scrollPage = true, scrollList = true } = {}): void {
    if (s.items.length === 0) return;
    s.selected = Math.max(0, Math.min(s.items.length - 1, n));
    const ri = s.items[s.selected]!;
    itemsList.querySelectorAll('li.item').forEach((li, i) => li.classList.toggle('selected', i === s.selected));
    pagesPane.querySelectorAll('.box.active').forEach((b) => b.classList.remove('active'));
    const box = boxesByItem.get(ri.id);
    if (box) box.classList.add('active');
    if (scrollList) itemsList.children[s.selected]?.scrollIntoView({ block: 'nearest' });
    if (scrollPage) {
      if (box) box.scrollIntoView({ block: 'center', inline: 'nearest' });
      else if (ri.item.evidence) pageEls.get(ri.item.evidence.page)?.el.scrollIntoView({ block: 'start' });
    }
  }

  function markDirty(): void {
    s.dirty = true;
    renderActions();
  }

  function decide(wanted: ItemDecision): void {
    if (s.readOnly || !s.items.length) return;
    const ri = s.items[s.selected]!;
    let decision = wanted;
    if (decision === 'accepted' && ri.id.startsWith('a')) decision = 'added';
    if (decision === 'pending' && ri.id.startsWith('a')) decision = 'added';
    if (decision === 'accepted' && ri.decision === 'edited') decision = 'edited';
    if (decision === 'pending' && ri.original) {
      // Undo also undoes an edit: back to the item as extracted.
      ri.item = structuredClone(ri.original);
      delete ri.original;
    }
    ri.decision = decision;
    markDirty();
    renderItems();
    if (decision !== 'pending') select(s.selected + 1);
  }

  function acceptAll(): void {
    if (s.readOnly) return;
    let n = 0;
    for (const ri of s.items)
      if (ri.decision === 'pending') {
        ri.decision = 'accepted';
        n++;
      }
    if (n) {
      markDirty();
      renderItems();
      toast(`Accepted ${n} item${n === 1 ? '' : 's'}`);
    }
  }

  function itemForm(item: Item, onDone: (next: Item | null) => void): HTMLFormElement {
    const fields = ['display', ...KIND_FIELDS[item.kind]];
    const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
    const [sysUri, sysName] = CODE_SYSTEMS[item.kind];
    const code = item.codes?.[0];
    const values = item as unknown as Fields;
    const form = h('form', {
      class: 'edit-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        save();
      },
    });
    for (const f of fields) {
      const input =
        f === 'type'
          ? h(
              'select',
              { name: f },
              SCREENING_TYPES.map((t) => h('option', { value: t, selected: values.type === t }, t)),
            )
          : h('input', {
              name: f,
              value: typeof values[f] === 'string' ? values[f] : '',
              placeholder: DATE_FIELDS.has(f) ? 'YYYY, YYYY-MM or YYYY-MM-DD' : '',
              autocomplete: 'off',
            });
      inputs[f] = input;
      form.append(h('label', {}, h('span', {}, f), input));
    }
    const codeInput = h('input', { name: 'code', value: code?.code ?? '', autocomplete: 'off' });
    const markInfo = h(
      'span',
      { class: 'muted mark-info' },
      item.evidence?.bbox
        ? `marked on page ${item.evidence.page}`
        : item.evidence
          ? `page ${item.evidence.page}, no box`
          : 'no evidence box',
    );
    const markButton = h(
      'button',
      {
        type: 'button',
        class: 'mark',
        title: 'Drag a box around the evidence on the page',
        onclick: () => {
          markInfo.textContent = 'drag a box on the page…';
          startMarking((pageNo, bbox) => {
            item.evidence = { page: pageNo, text: item.evidence?.page === pageNo ? item.evidence.text : '', bbox };
            markInfo.textContent = `marked on page ${pageNo}`;
          });
        },
      },
      'Mark on page',
    );
    const negated = h('input', { type: 'checkbox', name: 'negated', checked: Boolean(item.negated) });
    const error = h('p', { class: 'error', hidden: true, role: 'alert' });
    form.append(
      h('label', {}, h('span', {}, code && code.system !== sysUri ? systemName(code.system) : sysName), codeInput),
      h('label', { class: 'check' }, negated, h('span', {}, 'negated (e.g. denies, not taking, NKDA)')),
      h('div', { class: 'mark-row' }, markButton, ' ', markInfo),
      error,
      h(
        'div',
        { class: 'form-buttons' },
        h('button', { type: 'submit', class: 'primary' }, 'Save (Enter)'),
        h('button', { type: 'button', onclick: () => cancelForm() }, 'Cancel (Esc)'),
      ),
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        cancelForm();
      }
    });
    function cancelForm(): void {
      onMarked = null;
      pagesPane.classList.remove('marking');
      onDone(null);
    }
    function save(): void {
      onMarked = null;
      pagesPane.classList.remove('marking');
      const next = structuredClone(item) as unknown as Fields;
      for (const f of fields) {
        const v = inputs[f]!.value.trim();
        if (v) next[f] = v;
        else delete next[f];
      }
      if (!next.display) return fail('display is required');
      for (const f of fields)
        if (DATE_FIELDS.has(f) && next[f] && !isPartialDate(String(next[f])))
          return fail(`${f}: use YYYY, YYYY-MM or YYYY-MM-DD`);
      const nameField = KIND_FIELDS[item.kind][0]!;
      if (!next[nameField]) return fail(`${nameField} is required`);
      const c = codeInput.value.trim();
      const rest = (item.codes ?? []).slice(1);
      next.codes = c ? [{ system: code?.system ?? sysUri, code: c }, ...rest] : rest;
      next.negated = negated.checked;
      onDone(next as unknown as Item);
    }
    function fail(text: string): void {
      error.textContent = text;
      error.hidden = false;
    }
    setTimeout(() => inputs[fields[1]!]?.focus(), 0);
    return form;
  }

  function edit(): void {
    if (s.readOnly || !s.items.length || s.editing) return;
    const n = s.selected;
    const ri = s.items[n]!;
    const li = itemsList.children[n]!;
    s.editing = ri.id;
    const form = itemForm(ri.item, (next) => {
      s.editing = null;
      if (next) {
        const base = ri.original ?? ri.item;
        if (JSON.stringify(next) !== JSON.stringify(base)) {
          if (ri.id.startsWith('x') && !ri.original) ri.original = ri.item;
          ri.item = next;
          ri.decision = ri.id.startsWith('a') ? 'added' : 'edited';
        } else if (ri.id.startsWith('x')) {
          ri.item = next;
          delete ri.original;
          ri.decision = 'accepted';
        }
        markDirty();
      }
      renderItems();
      select(n);
    });
    li.append(form);
    form.scrollIntoView({ block: 'nearest' });
  }

  function addItem(): void {
    if (s.readOnly || s.editing) return;
    const visible = [...pageEls.values()].find(
      ({ el }) => el.getBoundingClientRect().bottom > pagesPane.getBoundingClientRect().top + 40,
    );
    const kindSelect = h(
      'select',
      { name: 'kind' },
      ITEM_KINDS.map((k) => h('option', { value: k }, k)),
    );
    const li = h('li', { class: 'item added adding' }, h('label', {}, 'Kind of item ', kindSelect));
    itemsList.append(li);
    s.editing = 'new';
    const mount = () => {
      li.querySelector('form')?.remove();
      const kind = kindSelect.value as ItemKind;
      const blank = {
        kind,
        display: '',
        codes: [],
        negated: false,
        confidence: 1,
        ...(kind === 'screening' ? { type: 'other' } : {}),
        ...(visible ? { evidence: { page: visible.info.page, text: '' } } : {}),
      } as unknown as Item;
      li.append(
        itemForm(blank, (next) => {
          s.editing = null;
          if (next) {
            s.items.push({ id: `a${s.nextAdded++}`, decision: 'added', item: next });
            s.selected = s.items.length - 1;
            markDirty();
          }
          renderItems();
        }),
      );
    };
    kindSelect.addEventListener('change', mount);
    mount();
    kindSelect.focus();
  }

  // --- member ---
  function renderMember(): void {
    const m = rec.match;
    const p = rec.patient ?? {};
    const HINT_LABELS: Record<string, string> = {
      senderAddress: 'e-mail',
      senderName: 'name',
      faxFrom: 'fax',
      mrn: 'MRN',
      subject: 'subject',
    };
    const hints = [
      ...new Set(
        rec.receipts.flatMap((r) =>
          Object.entries(r.hints ?? {})
            .filter(([k]) => HINT_LABELS[k])
            .map(([k, v]) => `${HINT_LABELS[k]} ${String(v)}`),
        ),
      ),
    ];
    const linked: Member | undefined = s.memberId
      ? rec.member?.memberId === s.memberId
        ? rec.member
        : m.candidates.find((c) => c.member.memberId === s.memberId)?.member
      : undefined;
    const results = h('ul', { class: 'member-results', id: 'member-results' });
    const search = h('input', {
      type: 'search',
      id: 'member-search',
      'aria-label': 'Search the member roster',
      placeholder: 'Search the member roster (m)',
      autocomplete: 'off',
      disabled: s.readOnly,
    });
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        search.blur();
        return;
      }
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const q = search.value.trim();
      if (!q) return;
      if (rec.directory === 'none') {
        link(q);
        return;
      }
      api<{ members: Member[] }>('POST', '/api/members/search', { q })
        .then((found) => {
          results.replaceChildren(
            ...found.members.map((mm) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', onclick: () => link(mm.memberId) },
                  `${mm.memberId} · ${mm.firstName} ${mm.lastName} · ${mm.birthDate ?? ''}`,
                ),
              ),
            ),
          );
          if (!found.members.length) results.replaceChildren(h('li', { class: 'muted' }, 'No member found.'));
        })
        .catch((err: unknown) => toast(message(err), 'error'));
    });
    const suggested = m.suggested;
    memberBox.replaceChildren(
      ...[
        h('h2', {}, 'Member'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Patient on document'),
          h('dd', {}, [p.name, p.birthDate && `DOB ${p.birthDate}`, p.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ') || '—'),
          h('dt', {}, 'Sender'),
          h('dd', {}, hints.join(' · ') || '—'),
          h('dt', {}, 'Linked member'),
          h(
            'dd',
            { id: 'linked-member' },
            s.memberId
              ? `${s.memberId}${linked ? ` · ${linked.firstName} ${linked.lastName} · ${linked.birthDate ?? ''}` : ''}`
              : 'not linked',
          ),
        ),
        suggested && suggested.member.memberId !== s.memberId
          ? h(
              'p',
              { class: 'suggestion' },
              `Suggested: ${suggested.member.memberId} · ${suggested.member.firstName} ${suggested.member.lastName} · ${suggested.member.birthDate ?? ''} (score ${suggested.score}) `,
              h(
                'button',
                { type: 'button', id: 'link-suggested', disabled: s.readOnly, onclick: () => link(suggested.member.memberId) },
                'Link (l)',
              ),
            )
          : null,
        search,
        results,
      ].filter((x) => x !== null),
    );
    const warnings = [...m.warnings];
    if (s.memberId && s.memberId !== rec.memberId) {
      const cand = m.candidates.find((c) => c.member.memberId === s.memberId);
      if (cand && (cand.evidence.birthDate === 'different' || cand.evidence.name === 'different'))
        warnings.push(`Member ${s.memberId} does not match the document's patient.`);
    }
    warningsBox.replaceChildren(...warnings.map((w) => h('div', { class: 'alert', role: 'alert' }, '⚠ ', w)));
  }

  function link(memberId: string): void {
    if (s.readOnly) return;
    s.memberId = memberId;
    markDirty();
    renderMember();
    toast(`Linked to member ${memberId}`);
  }

  // --- actions ---
  function renderActions(): void {
    const exportLinks =
      s.state === 'approved'
        ? [
            h(
              'a',
              { class: 'button', id: 'export-fhir', href: `/api/documents/${docId}/export/fhir`, download: '' },
              'Export FHIR',
            ),
            h('a', { class: 'button', id: 'export-csv', href: `/api/documents/${docId}/export/csv`, download: '' }, 'Export CSV'),
          ]
        : [];
    const pending = s.items.filter((i) => i.decision === 'pending').length;
    actions.replaceChildren(
      ...[
        h(
          'p',
          { class: 'muted', id: 'progress' },
          `${s.items.length - pending} of ${s.items.length} decided${s.dirty ? ' · unsaved changes' : ''}${s.latest ? ` · revision ${s.latest}` : ''}`,
        ),
        s.readOnly
          ? null
          : h(
              'div',
              { class: 'buttons' },
              h('button', { type: 'button', id: 'save', onclick: () => void save('in-review') }, 'Save draft (s)'),
              h(
                'button',
                { type: 'button', id: 'approve', class: 'primary', onclick: () => void save('approved') },
                'Approve (Shift+A)',
              ),
              h(
                'button',
                { type: 'button', id: 'needs-member', onclick: () => void save('needs-member-action') },
                'Needs member action (Shift+M)',
              ),
              h(
                'button',
                { type: 'button', id: 'reject-record', class: 'danger', onclick: () => void save('rejected') },
                'Reject record (Shift+R)',
              ),
            ),
        finished && isSupervisor && s.readOnly && s.state !== 'in-review'
          ? h('button', { type: 'button', id: 'reopen', onclick: () => void reopen() }, 'Reopen (supervisor)')
          : null,
        h(
          'div',
          { class: 'buttons' },
          ...exportLinks,
          h('a', { class: 'button subtle', href: `/api/documents/${docId}/original` }, 'Original'),
        ),
      ].filter((x) => x !== null),
    );
  }

  async function save(state: SaveState, confirmMismatch = false): Promise<void> {
    if (s.readOnly) return;
    if (s.editing) return toast('Finish the edit first (Enter or Esc)', 'error');
    try {
      const out = await api<SaveResponse>('POST', `/api/documents/${docId}/revisions`, {
        replaces: s.latest,
        state,
        items: s.items.map(({ id, decision, item }) => ({ id, decision, item })),
        ...(s.memberId ? { memberId: s.memberId } : {}),
        ...(confirmMismatch ? { confirmMismatch: true } : {}),
      });
      s.latest = out.revision;
      s.state = out.state;
      s.dirty = false;
      stateBadge.textContent = stateLabel(out.state);
      stateBadge.className = `state ${out.state}`;
      toast(state === 'in-review' ? `Saved revision ${out.revision}` : `${stateLabel(out.state)} (revision ${out.revision})`);
      if (state !== 'in-review') {
        s.readOnly = true;
        s.lease = false;
        clearInterval(renewTimer);
        leaseBox.replaceChildren();
        renderItems();
        renderMember();
      }
      renderActions();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body.conflict === 'member-mismatch') {
        if (confirm(`${err.message}.\n\nThis document may belong to someone else. Approve it for this member anyway?`))
          return save(state, true);
        return toast('Not approved: check the member link', 'error');
      }
      if (err instanceof ApiError && err.status === 409) {
        leaseBox.replaceChildren(
          h(
            'div',
            { class: 'alert', role: 'alert' },
            err.message,
            ' ',
            h(
              'button',
              {
                type: 'button',
                onclick: () => {
                  s.dirty = false;
                  nav.reload();
                },
              },
              'Reload',
            ),
          ),
        );
      }
      toast(message(err), 'error');
    }
  }

  async function reopen(): Promise<void> {
    if (!(await claim())) return;
    s.readOnly = false;
    await save('in-review');
    renderItems();
    renderMember();
  }

  async function claim(): Promise<boolean> {
    try {
      await api('POST', `/api/documents/${docId}/lease`);
      s.lease = true;
      clearInterval(renewTimer);
      renewTimer = setInterval(
        () => {
          api('POST', `/api/documents/${docId}/lease`).catch((err: unknown) => {
            s.lease = false;
            s.readOnly = true;
            clearInterval(renewTimer);
            leaseBox.replaceChildren(
              h('div', { class: 'alert', role: 'alert' }, `Lost the claim on this record: ${message(err)}`),
            );
            renderActions();
          });
        },
        Math.max(5000, rec.lease.ttlMs / 3),
      );
      leaseBox.replaceChildren();
      return true;
    } catch (err) {
      leaseBox.replaceChildren(
        h(
          'div',
          { class: 'notice' },
          err instanceof ApiError && err.status === 409
            ? `${String(err.body.holder ?? 'Another clerk')} is working on this record: read only.`
            : message(err),
        ),
      );
      return false;
    }
  }

  async function release(): Promise<void> {
    clearInterval(renewTimer);
    if (s.lease) {
      s.lease = false;
      await releaseLease(docId);
    }
  }

  if (rec.stage !== 'quarantined' && rec.extracted && !finished) s.readOnly = !(await claim());
  if (finished) leaseBox.replaceChildren(h('div', { class: 'notice' }, `This record is ${stateLabel(rec.state).toLowerCase()}.`));
  renderItems();
  renderMember();
  renderActions();
  select(0);
  window.addEventListener('pagehide', () => void release(), { once: true });
  document.body.dataset.recordReadyMs = String(Math.round(performance.now() - t0));

  return {
    keys(e) {
      if (typing(e)) return false;
      if (s.editing) return false;
      switch (e.key) {
        case 'j':
          select(s.selected + 1);
          return true;
        case 'k':
          select(s.selected - 1);
          return true;
        case 'a':
          decide('accepted');
          return true;
        case 'r':
          decide('rejected');
          return true;
        case 'u':
          decide('pending');
          return true;
        case 'e':
          edit();
          return true;
        case 'i':
          addItem();
          return true;
        case 'y':
          acceptAll();
          return true;
        case 'l':
          if (rec.match.suggested) link(rec.match.suggested.member.memberId);
          return true;
        case 'm':
          document.getElementById('member-search')?.focus();
          return true;
        case 's':
          void save('in-review');
          return true;
        case 'A':
          void save('approved');
          return true;
        case 'R':
          void save('rejected');
          return true;
        case 'M':
          void save('needs-member-action');
          return true;
        case 'n': {
          const next = nextInQueue(docId);
          if (next && next !== docId) void nav.navigate(`/records/${next}`);
          else toast('No next record in the queue');
          return true;
        }
        case 'Escape':
        case 'g':
          void nav.navigate('/');
          return true;
        default:
          return false;
      }
    },
    async leave() {
      if (s.dirty && !confirm('This record has unsaved changes. Leave without saving?')) return false;
      await release();
      return true;
    },
  };
}
