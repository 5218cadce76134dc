// One record: the items (grouped by kind) and the member link on one side, the page images
// with the evidence boxes on the other; the clerk decides each item and saves a revision.
import type { Code, Item, ItemDecision, ReviewedItem, ReviewState } from '@intake/core';
import {
  api,
  ApiError,
  documentTypes,
  liveEvents,
  me,
  releaseLease,
  type Member,
  type RecordResponse,
  type SaveResponse,
} from './api.ts';
import { confirmDialog, reasonDialog } from './dialogs.ts';
import { fmtDate, h, message, plural, short, toast, typing } from './dom.ts';
import { itemForm, type Concept, type ItemFormHooks } from './item-form.ts';
import type { View } from './keyboard.ts';
import {
  codeConcern,
  hasRole,
  ITEM_KINDS,
  itemSummary,
  KIND_FIELDS,
  KIND_LABELS,
  LOW_CONFIDENCE,
  stateLabel,
  systemName,
  type ItemKind,
} from './model.ts';
import { PagesPane, type TextSelection } from './pages.ts';
import { nextInQueue } from './queue.ts';

type SaveState = Exclude<ReviewState, 'pending'>;
interface Row extends ReviewedItem {
  original?: Item;
}
interface Snapshot {
  items: Row[];
  memberId: string;
  selected: number;
  label: string;
}
type Fields = Record<string, unknown>;

const kindOrder = (k: ItemKind) => ITEM_KINDS.indexOf(k);
const byKind = (a: Row, b: Row) => kindOrder(a.item.kind) - kindOrder(b.item.kind);
const codeKey = (c: { system: string; code: string }) => `${c.system}|${c.code}`;

export interface RecordNav {
  navigate(path: string): Promise<void>;
  reload(): void;
  /** The next open record for "save and next", if any. */
  next(docId: string): Promise<string | undefined>;
}

export async function recordView(view: HTMLElement, docId: string, nav: RecordNav): Promise<View> {
  const isSupervisor = hasRole(me.role, 'supervisor');
  view.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const t0 = performance.now();
  const rec = await api<RecordResponse>('GET', `/api/documents/${docId}`);
  const finished = rec.state === 'approved' || rec.state === 'rejected';
  const s = {
    // Grouped by kind, in shared/core's order; a stable sort keeps the extraction's order within a kind.
    items: rec.items.map((i): Row => ({ ...i, item: structuredClone(i.item) })).sort(byKind),
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
  const history: Snapshot[] = [];
  const meanings = new Map<string, string>();
  let renewTimer: ReturnType<typeof setInterval> | undefined;

  // --- layout ---
  const itemsBox = h('div', { class: 'items', id: 'items', role: 'region', 'aria-label': 'Items' });
  const memberBox = h('section', { class: 'member', id: 'member', 'aria-label': 'Member' });
  const warningsBox = h('div', { id: 'warnings' });
  const checkBox = h('p', { class: 'member-check', id: 'member-check', role: 'status' });
  const leaseBox = h('div', { id: 'lease' });
  const actions = h('div', { class: 'actions', id: 'actions' });
  const stateBadge = h('span', { class: `state ${rec.state}`, id: 'record-state' }, stateLabel(rec.state));
  const itemsCount = h('span', { class: 'muted', id: 'items-count' });
  const emptyPages =
    rec.stage === 'quarantined'
      ? `Quarantined: ${rec.quarantineReason ?? 'the pipeline could not read this document'}`
      : rec.stage === 'received'
        ? 'Waiting to be read.'
        : rec.mediaType && /xml|json/.test(rec.mediaType)
          ? 'A structured record (C-CDA or FHIR): no page images; the items were read from its data.'
          : 'No pages read yet.';
  const pages = new PagesPane(
    docId,
    rec.pages,
    emptyPages,
    {
      box: (ids) => selectBox(ids),
      selection: (sel) => addItem(sel),
      status: (text, error) => toast(text, error ? 'error' : 'info'),
    },
    // A page turns while the record is open for review (the server also needs the clerk's claim).
    { rotatable: rec.stage === 'extracted' && !finished },
  );
  const meta = h(
    'p',
    { class: 'muted meta' },
    rec.intake
      ? `${rec.intake.channel} · received ${fmtDate(rec.intake.receivedAt)} · ${plural(rec.pages.length, 'page')} · `
      : '',
    rec.intake?.fileName ?? '',
    rec.receipts.length > 1 ? ` · received ${rec.receipts.length} times` : '',
    ' · ',
    h('a', { href: `/api/documents/${docId}/original`, id: 'original' }, 'original file'),
  );
  const open = rec.stage === 'extracted' && !finished;
  const who = (p: { name?: string; birthDate?: string; mrn?: string } | undefined) =>
    [p?.name, p?.birthDate && `DOB ${p.birthDate}`, p?.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ');
  const splitButton = h(
    'a',
    { class: 'button small', id: 'open-split', href: `/records/${docId}?split`, 'data-nav': true, 'aria-keyshortcuts': 'x' },
    rec.identity?.mixedPatients
      ? 'Split by patient…'
      : rec.pages.length > 1
        ? 'Split, move or merge pages…'
        : 'Merge into an existing record…',
    h('kbd', { 'aria-hidden': 'true' }, 'x'),
  );
  const indexing = h(
    'div',
    { id: 'indexing' },
    rec.identity?.mixedPatients
      ? h(
          'div',
          { class: 'alert', role: 'alert', id: 'mixed-patients' },
          '⚠ The pages name different patients: ',
          rec.identity.groups.map((g) => `${who(g.patient) || 'no name'} (p. ${g.pages.join(', ')})`).join('; '),
          '. Split it before review. ',
          open ? splitButton : null,
        )
      : open && rec.pages.length > 0
        ? h('p', { class: 'split-link' }, splitButton)
        : null,
    rec.provenance?.length
      ? h(
          'p',
          { class: 'muted small', id: 'provenance' },
          'Made from ',
          ...rec.provenance.flatMap((p, i) => [
            i ? '; ' : '',
            h('a', { href: `/records/${p.docId}`, 'data-nav': true, class: 'mono' }, short(p.docId)),
            ` pages ${p.pages.join(', ')}`,
          ]),
        )
      : null,
    rec.stage === 'superseded'
      ? h(
          'div',
          { class: 'notice', id: 'superseded' },
          'Its pages went into other documents: ',
          ...(rec.supersededBy ?? []).flatMap((id, i) => [
            i ? ', ' : '',
            h('a', { href: `/records/${id}`, 'data-nav': true, class: 'mono' }, short(id)),
          ]),
        )
      : null,
  );
  const typeBox = h('div', { class: 'doc-type', id: 'doc-type' });
  async function renderType(): Promise<void> {
    const t = rec.documentType;
    if (!t?.value) return;
    const types = await documentTypes().catch(() => []);
    const select = h(
      'select',
      { id: 'doc-type-select', disabled: rec.stage !== 'extracted' },
      ...types.map((x) => h('option', { value: x.id, selected: x.id === t.value }, x.label)),
    );
    const confirm = h('button', { type: 'button', class: 'small', id: 'doc-type-confirm' }, t.confirmed ? 'Change' : 'Confirm');
    const state = h(
      'span',
      { class: 'muted small', id: 'doc-type-state' },
      t.confirmed ? `confirmed${t.by ? ` by ${t.by}` : ''}` : 'suggested by the pipeline',
    );
    confirm.addEventListener('click', () => {
      void api<{ documentType: NonNullable<RecordResponse['documentType']> }>('POST', `/api/documents/${docId}/type`, {
        type: select.value,
      })
        .then((out) => {
          rec.documentType = out.documentType;
          state.textContent = `confirmed by ${out.documentType.by ?? me.username}`;
          confirm.textContent = 'Change';
          toast(`Document type: ${out.documentType.label ?? select.value}`);
        })
        .catch((err: unknown) => toast(message(err), 'error'));
    });
    typeBox.replaceChildren(h('label', { for: 'doc-type-select' }, 'Document type '), select, ' ', confirm, ' ', state);
  }
  const revisionList = rec.revisions.length
    ? h(
        'details',
        { class: 'revisions', id: 'revisions' },
        h('summary', {}, `${plural(rec.revisions.length, 'revision')} (kept, never overwritten)`),
        h(
          'ol',
          {},
          ...rec.revisions.map((r) =>
            h('li', {}, `r${r.revision} · ${stateLabel(r.state)} · ${r.by} · ${fmtDate(r.at)}`, r.note ? ` · ${r.note}` : ''),
          ),
        ),
      )
    : null;
  const addButton = h('button', { type: 'button', id: 'add-item', class: 'small' }, '+ Add missed item (i)');
  addButton.addEventListener('click', () => addItem());
  const side = h(
    'aside',
    { class: 'side', 'aria-label': 'Record' },
    h('div', { class: 'record-head' }, h('h1', {}, `Document ${short(docId)}`), stateBadge),
    meta,
    indexing,
    typeBox,
    revisionList,
    leaseBox,
    warningsBox,
    memberBox,
    h('div', { class: 'items-head' }, h('h2', {}, 'Items ', itemsCount), addButton),
    itemsBox,
    actions,
  );
  // The record's side first: Tab reaches the items before the page's boxes.
  view.replaceChildren(h('section', { class: 'record' }, side, pages.el));

  // --- helpers ---
  const rowLabel = (ri: Row) => (ri.item.negated ? `NOT: ${ri.item.display}` : ri.item.display);
  const meaningOf = (c: Code | undefined) => (c ? (c.display ?? meanings.get(codeKey(c))) : undefined);
  const concernOf = (ri: Row): string[] => {
    const out: string[] = [];
    if (ri.decision === 'pending' && typeof ri.item.confidence === 'number' && ri.item.confidence < LOW_CONFIDENCE)
      out.push(`low confidence ${Math.round(ri.item.confidence * 100)}%`);
    const code = ri.item.codes?.[0];
    const concern =
      ri.decision !== 'rejected' ? codeConcern(ri.item, meanings.get(code ? codeKey(code) : '') ?? code?.display) : undefined;
    if (concern) out.push(concern);
    return out;
  };
  const formHooks: ItemFormHooks = {
    mark: (cb) => pages.startMarking(cb),
    stopMarking: () => pages.stopMarking(),
    meaning: meaningOf,
    remember: (c: Concept) => meanings.set(codeKey(c), c.display),
  };

  function remember(label: string): void {
    history.push({ items: structuredClone(s.items), memberId: s.memberId, selected: s.selected, label });
    if (history.length > 200) history.shift();
  }

  function undo(): void {
    if (s.readOnly || s.editing) return;
    const last = history.pop();
    if (!last) return toast('Nothing to undo');
    s.items = last.items;
    if (last.memberId !== s.memberId) checkBox.textContent = '';
    s.memberId = last.memberId;
    s.dirty = true;
    renderItems();
    renderMember();
    renderActions();
    select(last.selected, { focus: true });
    toast(`Undone: ${last.label}`);
  }

  function selectBox(ids: string[]): void {
    const first = s.items.findIndex((i) => ids.includes(i.id));
    itemsBox
      .querySelectorAll<HTMLElement>('li.item')
      .forEach((li) => li.classList.toggle('from-box', ids.includes(li.dataset.id ?? '')));
    if (first >= 0) select(first, { scrollPage: false, focus: true });
  }

  // --- items ---
  const liOf = (n: number) => itemsBox.querySelector<HTMLElement>(`li.item[data-id="${s.items[n]?.id ?? ''}"]`);

  function renderItems(): void {
    // Re-rendering replaces the rows: the focus, if it was in the list, comes back to the selected one.
    const hadFocus = itemsBox.contains(document.activeElement);
    const groups = ITEM_KINDS.map((kind) => ({
      kind,
      rows: s.items.map((ri, n) => ({ ri, n })).filter(({ ri }) => ri.item.kind === kind),
    })).filter((g) => g.rows.length);
    itemsBox.replaceChildren(
      ...groups.map(({ kind, rows }) => {
        const attention = rows.filter(({ ri }) => concernOf(ri).length).length;
        const headingId = `group-${kind}`;
        return h(
          'section',
          { class: 'kind-group', dataset: { kind } },
          h(
            'h3',
            { id: headingId },
            KIND_LABELS[kind],
            ' ',
            h('span', { class: 'count' }, String(rows.length)),
            attention ? h('span', { class: 'attention-count' }, ` · ${attention} to check`) : null,
          ),
          h('ol', { 'aria-labelledby': headingId }, ...rows.map(({ ri, n }) => itemRow(ri, n))),
        );
      }),
    );
    if (s.items.length === 0)
      itemsBox.append(h('p', { class: 'muted' }, rec.extracted ? 'No items were extracted.' : 'Not extracted yet.'));
    const pending = s.items.filter((i) => i.decision === 'pending').length;
    itemsCount.textContent = `${s.items.length}${pending ? ` · ${pending} pending` : ''}`;
    pages.drawBoxes(
      s.items.flatMap((ri) =>
        ri.item.evidence?.bbox
          ? [{ id: ri.id, label: rowLabel(ri), page: ri.item.evidence.page, bbox: ri.item.evidence.bbox, decision: ri.decision }]
          : [],
      ),
    );
    select(s.selected, { scrollPage: false, scrollList: false, focus: hadFocus });
  }

  function itemRow(ri: Row, n: number): HTMLLIElement {
    const it = ri.item;
    const code = it.codes?.[0];
    const concerns = concernOf(ri);
    const button = (cls: string, label: string, key: string, run: () => void) => {
      const b = h(
        'button',
        { type: 'button', class: cls, title: `${label} (${key})`, 'aria-label': `${label}: ${rowLabel(ri)}` },
        label,
      );
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        select(n);
        run();
      });
      return b;
    };
    const meaning = meaningOf(code);
    const li = h(
      'li',
      {
        class: `item ${ri.decision}${concerns.length ? ' attention' : ''}`,
        dataset: { id: ri.id, kind: it.kind },
        tabindex: '-1',
      },
      h(
        'div',
        { class: 'item-line' },
        h('span', { class: 'display' }, rowLabel(ri)),
        h(
          'span',
          { class: 'item-detail' },
          itemSummary(it) ? h('span', {}, itemSummary(it)) : null,
          code
            ? h(
                'span',
                { class: 'code', title: meaning ?? '' },
                `${systemName(code.system)} ${code.code}`,
                meaning ? h('span', { class: 'meaning' }, ` ${meaning}`) : null,
              )
            : null,
        ),
        it.evidence ? h('span', { class: 'page-ref' }, `p.${it.evidence.page}`) : null,
        typeof it.confidence === 'number' && ri.decision === 'pending'
          ? h('span', { class: it.confidence < LOW_CONFIDENCE ? 'conf low' : 'conf' }, `${Math.round(it.confidence * 100)}%`)
          : null,
        concerns.length ? h('span', { class: 'flag', title: concerns.join('; ') }, '⚑ check') : null,
        h('span', { class: `decision ${ri.decision}` }, ri.decision),
        !s.readOnly
          ? h(
              'span',
              { class: 'item-buttons' },
              button('accept', 'Accept', 'a', () => decide('accepted')),
              button('edit', 'Edit', 'e', () => edit()),
              button('reject', 'Reject', 'r', () => decide('rejected')),
            )
          : null,
      ),
      concerns.length ? h('div', { class: 'concerns' }, concerns.join(' · ')) : null,
      h(
        'div',
        { class: 'item-full' },
        [itemSummary(it), code ? `${systemName(code.system)} ${code.code}${meaning ? ` ${meaning}` : ''}` : '']
          .filter(Boolean)
          .join(' · '),
      ),
    );
    li.addEventListener('click', (e) => {
      if ((e.target as Element).closest('form')) return;
      select(n, { focus: true });
    });
    li.addEventListener('focus', () => {
      if (s.selected !== n) select(n, { focus: false });
    });
    return li;
  }

  /** Select item n: its row is the Tab stop of the list (roving tabindex) and its box lights up. */
  function select(n: number, { scrollPage = true, scrollList = true, focus = false } = {}): void {
    if (s.items.length === 0) return;
    s.selected = Math.max(0, Math.min(s.items.length - 1, n));
    const ri = s.items[s.selected]!;
    itemsBox.querySelectorAll<HTMLElement>('li.item').forEach((li) => {
      const on = li.dataset.id === ri.id;
      li.classList.toggle('selected', on);
      li.tabIndex = on ? 0 : -1;
      li.setAttribute('aria-current', on ? 'true' : 'false');
    });
    const li = liOf(s.selected);
    if (focus && li && document.activeElement !== li && !s.editing) li.focus({ preventScroll: true });
    if (scrollList) li?.scrollIntoView({ block: 'nearest' });
    pages.activate(ri.id, ri.item.evidence?.page, scrollPage);
  }

  function markDirty(): void {
    s.dirty = true;
    renderActions();
  }

  function decide(wanted: ItemDecision): void {
    if (s.readOnly || !s.items.length || s.editing) return;
    const ri = s.items[s.selected]!;
    let decision = wanted;
    if (decision === 'accepted' && ri.id.startsWith('a')) decision = 'added';
    if (decision === 'accepted' && ri.decision === 'edited') decision = 'edited';
    if (decision === ri.decision) {
      select(s.selected + 1, { focus: true });
      return;
    }
    remember(`${decision} ${ri.item.display}`);
    ri.decision = decision;
    markDirty();
    renderItems();
    select(s.selected + 1, { focus: true });
  }

  function acceptAll(): void {
    if (s.readOnly || s.editing) return;
    const pending = s.items.filter((ri) => ri.decision === 'pending');
    if (!pending.length) return toast('No pending items');
    remember(`accepted ${plural(pending.length, 'pending item')}`);
    for (const ri of pending) ri.decision = 'accepted';
    markDirty();
    renderItems();
    toast(`Accepted ${plural(pending.length, 'item')}`);
  }

  function edit(): void {
    if (s.readOnly || !s.items.length || s.editing) return;
    const n = s.selected;
    const ri = s.items[n]!;
    const li = liOf(n);
    if (!li) return;
    s.editing = ri.id;
    const form = itemForm(structuredClone(ri.item), formHooks, (next) => {
      s.editing = null;
      if (next) {
        const base = ri.original ?? ri.item;
        const before = JSON.stringify(ri.item);
        if (JSON.stringify(next) !== before) remember(`edit of ${ri.item.display}`);
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
      select(n, { focus: true });
    });
    li.append(form);
    form.scrollIntoView({ block: 'nearest' });
  }

  function addItem(from?: TextSelection): void {
    if (s.readOnly || s.editing) return;
    const kindId = 'add-kind';
    const kindSelect = h(
      'select',
      { name: 'kind', id: kindId },
      ITEM_KINDS.map((k) => h('option', { value: k }, k)),
    );
    const li = h('li', { class: 'item added adding' }, h('label', { for: kindId }, 'Kind of item '), kindSelect);
    const list = h('ol', {}, li);
    const group = h('section', { class: 'kind-group adding-group' }, h('h3', {}, 'New item'), list);
    itemsBox.append(group);
    s.editing = 'new';
    const page = from?.page ?? pages.visiblePage();
    const mount = () => {
      li.querySelector('form')?.remove();
      const kind = kindSelect.value as ItemKind;
      const blank: Fields = {
        kind,
        display: from?.text ?? '',
        codes: [],
        negated: false,
        confidence: 1,
        ...(kind === 'screening' ? { type: 'other' } : {}),
        ...(from ? { [KIND_FIELDS[kind][0]!]: kind === 'screening' ? 'other' : from.text.toLowerCase() } : {}),
        ...(from
          ? { evidence: { page: from.page, text: from.text, bbox: from.bbox } }
          : page
            ? { evidence: { page, text: '' } }
            : {}),
      };
      li.append(
        itemForm(
          blank as unknown as Item,
          formHooks,
          (next) => {
            s.editing = null;
            group.remove();
            if (next) {
              remember(`added ${next.display}`);
              const id = `a${s.nextAdded++}`;
              s.items.push({ id, decision: 'added', item: next });
              s.items.sort(byKind);
              s.selected = s.items.findIndex((i) => i.id === id);
              markDirty();
            }
            renderItems();
            select(s.selected, { focus: true });
          },
          false,
        ),
      );
    };
    kindSelect.addEventListener('change', mount);
    mount();
    group.scrollIntoView({ block: 'nearest' });
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
    const results = h('ul', { class: 'member-results', id: 'member-results', 'aria-label': 'Members found' });
    const search = h('input', {
      type: 'search',
      id: 'member-search',
      'aria-label': rec.directory === 'none' ? 'Member id' : 'Search the member roster',
      placeholder: rec.directory === 'none' ? 'Member id, then Enter (m)' : 'Search the member roster (m)',
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
            ...found.members.map((mm) => {
              const b = h(
                'button',
                { type: 'button' },
                `${mm.memberId} · ${mm.firstName} ${mm.lastName} · ${mm.birthDate ?? ''}`,
              );
              b.addEventListener('click', () => link(mm.memberId));
              return h('li', {}, b);
            }),
          );
          if (!found.members.length) results.replaceChildren(h('li', { class: 'muted' }, 'No member found.'));
          (results.querySelector('button') as HTMLButtonElement | null)?.focus();
        })
        .catch((err: unknown) => toast(message(err), 'error'));
    });
    const suggested = m.suggested;
    const linkSuggested = suggested
      ? h('button', { type: 'button', id: 'link-suggested', class: 'small', disabled: s.readOnly }, 'Link (l)')
      : null;
    linkSuggested?.addEventListener('click', () => suggested && link(suggested.member.memberId));
    memberBox.replaceChildren(
      ...[
        h('h2', {}, 'Member'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Document names'),
          h(
            'dd',
            { id: 'stated-patient' },
            [p.name, p.birthDate && `DOB ${p.birthDate}`, p.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ') || '—',
          ),
          h('dt', {}, 'Sender'),
          h('dd', {}, hints.join(' · ') || '—'),
          h('dt', {}, 'Linked'),
          h(
            'dd',
            { id: 'linked-member', tabindex: '-1' },
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
              linkSuggested,
            )
          : null,
        s.memberId ? checkBox : null,
        s.readOnly ? null : search,
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
    if (memberId !== s.memberId) remember(`link to ${s.memberId || 'no member'}`);
    s.memberId = memberId;
    markDirty();
    renderMember();
    // Focus stays in the member box: on the linked member, not lost with the replaced button.
    document.getElementById('linked-member')?.focus();
    toast(`Linked to member ${memberId}`);
    void checkMember(memberId);
  }

  /** The link checked the moment it is made: name, birth date and MRN against the member (or the id's form without a roster). */
  async function checkMember(memberId: string): Promise<void> {
    checkBox.className = 'member-check muted';
    checkBox.textContent = 'Checking the link…';
    try {
      const out = await api<{
        verdict: 'match' | 'mismatch' | 'partial' | 'not-found' | 'invalid-format';
        fields?: Record<string, string>;
      }>('POST', `/api/documents/${docId}/member/check`, { memberId });
      if (s.memberId !== memberId) return;
      const fields = Object.entries(out.fields ?? {})
        .filter(([, v]) => v !== 'unknown')
        .map(([k, v]) => `${k === 'birthDate' ? 'birth date' : k === 'mrn' ? 'MRN' : k} ${v === 'match' ? 'matches' : 'differs'}`)
        .join(', ');
      const TEXT: Record<string, string> = {
        match: `✓ The member matches the document${fields ? ` (${fields})` : ''}.`,
        partial: `The member does not contradict the document, but too little agrees to be sure${fields ? ` (${fields})` : ''}.`,
        mismatch: `⚠ The member does not match the document: ${fields}.`,
        'not-found': `⚠ No member ${memberId} in the roster.`,
        'invalid-format': `⚠ ${memberId} is not a member id of the configured form.`,
      };
      checkBox.className = `member-check ${out.verdict === 'match' ? 'ok' : out.verdict === 'partial' ? 'muted' : 'alert'}`;
      checkBox.textContent = TEXT[out.verdict] ?? out.verdict;
    } catch (err) {
      checkBox.textContent = `The link could not be checked: ${message(err)}`;
    }
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
    const btn = (id: string, label: string, run: () => void, cls?: string, disabled = false, keys?: string) => {
      const b = h(
        'button',
        { type: 'button', id, class: cls, disabled, 'aria-keyshortcuts': keys?.replace('⇧', 'Shift+') },
        label,
        keys ? h('kbd', { 'aria-hidden': 'true' }, keys) : null,
      );
      b.addEventListener('click', run);
      return b;
    };
    actions.replaceChildren(
      ...[
        h(
          'p',
          { class: 'muted', id: 'progress', role: 'status' },
          `${s.items.length - pending} of ${s.items.length} decided${s.dirty ? ' · unsaved changes' : ''}${s.latest ? ` · revision ${s.latest}` : ''}`,
        ),
        s.readOnly
          ? null
          : h(
              'div',
              { class: 'buttons' },
              btn('approve', 'Approve…', () => void approve(), 'primary', false, '⇧A'),
              btn('save', 'Save draft', () => void save('in-review'), undefined, false, 's'),
              btn('undo', 'Undo', () => undo(), undefined, history.length === 0, 'u'),
              btn(
                'needs-member',
                'Needs member action…',
                () => void finishWithReason('needs-member-action'),
                undefined,
                false,
                '⇧M',
              ),
              btn('reject-record', 'Reject record…', () => void finishWithReason('rejected'), 'danger', false, '⇧R'),
            ),
        finished && isSupervisor && s.readOnly && s.state !== 'in-review'
          ? btn('reopen', 'Reopen (supervisor)', () => void reopen())
          : null,
        s.readOnly && !finished && s.state !== rec.state
          ? btn('next-record', 'Next record', () => void goNext(), 'primary', false, 'n')
          : null,
        exportLinks.length ? h('div', { class: 'buttons' }, ...exportLinks) : null,
      ].filter((x) => x !== null),
    );
  }

  /** The summary a clerk confirms before approving. */
  async function approve(): Promise<void> {
    if (s.readOnly) return;
    if (s.editing) return toast('Finish the edit first (Enter or Esc)', 'error');
    const pending = s.items.filter((i) => i.decision === 'pending');
    if (pending.length) {
      toast(`${plural(pending.length, 'item')} still pending: accept, edit or reject each first`, 'error');
      select(s.items.indexOf(pending[0]!), { focus: true });
      return;
    }
    if (!s.memberId) {
      toast('Link the document to a member first (l or m)', 'error');
      document.getElementById('member-search')?.focus();
      return;
    }
    const count = (d: ItemDecision) => s.items.filter((i) => i.decision === d).length;
    const kept = s.items.filter((i) => i.decision !== 'rejected');
    const perKind = ITEM_KINDS.map((k) => [k, kept.filter((i) => i.item.kind === k).length] as const).filter(([, n]) => n);
    const unchecked = s.items.filter((i) => i.decision === 'accepted' && concernOf({ ...i, decision: 'pending' }).length);
    const linked =
      rec.member?.memberId === s.memberId
        ? rec.member
        : rec.match.candidates.find((c) => c.member.memberId === s.memberId)?.member;
    const choice = await confirmDialog({
      id: 'approve-dialog',
      title: 'Approve this record?',
      body: [
        h(
          'dl',
          { class: 'facts summary' },
          h('dt', {}, 'Member'),
          h('dd', {}, s.memberId, linked ? ` · ${linked.firstName} ${linked.lastName} · ${linked.birthDate ?? ''}` : ''),
          h('dt', {}, 'Exported'),
          h('dd', {}, perKind.map(([k, n]) => `${n} ${KIND_LABELS[k].toLowerCase()}`).join(', ') || 'nothing'),
          h('dt', {}, 'Decisions'),
          h(
            'dd',
            {},
            [
              `${count('accepted')} accepted`,
              `${count('edited')} edited`,
              `${count('added')} added`,
              `${count('rejected')} rejected`,
            ].join(' · '),
          ),
        ),
        unchecked.length
          ? h(
              'div',
              { class: 'notice' },
              `Accepted as extracted though marked for attention: ${unchecked.map((i) => i.item.display).join('; ')}`,
            )
          : '',
        ...[...warningsBox.querySelectorAll('.alert')].map((a) => h('div', { class: 'alert' }, a.textContent ?? '')),
        h('p', { class: 'muted small' }, 'Approving exports the record; only a supervisor can reopen it.'),
      ],
      buttons: [
        { value: 'approve-next', label: 'Approve and next', primary: true },
        { value: 'approve', label: 'Approve' },
      ],
    });
    if (!choice) return;
    const ok = await save('approved');
    if (ok && choice === 'approve-next') await goNext();
  }

  async function finishWithReason(state: 'rejected' | 'needs-member-action'): Promise<void> {
    if (s.readOnly) return;
    if (s.editing) return toast('Finish the edit first (Enter or Esc)', 'error');
    const reason = await reasonDialog(
      state === 'rejected'
        ? {
            id: 'reject-dialog',
            title: 'Reject the whole record?',
            intro:
              'A rejected record is not exported; only a supervisor can reopen it. Say why (wrong patient, unreadable, not a medical record…).',
            confirm: 'Reject record',
            danger: true,
          }
        : {
            id: 'needs-member-dialog',
            title: 'Needs member action',
            intro: 'The record waits for the member (a missing page, a consent, a clearer copy). Say what is needed.',
            confirm: 'Set needs member action',
          },
    );
    if (reason === null) return;
    if (await save(state, { note: reason })) await goNext(false);
  }

  async function goNext(move = true): Promise<void> {
    const next = await nav.next(docId);
    if (next && next !== docId) {
      if (move) await nav.navigate(`/records/${next}`);
      else renderActions();
    } else if (move) toast('No next record in the queue');
  }

  async function save(state: SaveState, extra: { note?: string; confirmMismatch?: boolean } = {}): Promise<boolean> {
    if (s.readOnly) return false;
    if (s.editing) {
      toast('Finish the edit first (Enter or Esc)', 'error');
      return false;
    }
    try {
      const out = await api<SaveResponse>('POST', `/api/documents/${docId}/revisions`, {
        replaces: s.latest,
        state,
        items: s.items.map(({ id, decision, item }) => ({ id, decision, item })),
        ...(s.memberId ? { memberId: s.memberId } : {}),
        ...(extra.confirmMismatch ? { confirmMismatch: true } : {}),
        ...(extra.note ? { note: extra.note } : {}),
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
        history.length = 0;
        clearInterval(renewTimer);
        leaseBox.replaceChildren(
          h('div', { class: 'notice', role: 'status' }, `Saved as ${stateLabel(out.state).toLowerCase()}.`),
        );
        renderItems();
        renderMember();
      }
      renderActions();
      if (state !== 'in-review') (document.getElementById('next-record') ?? document.getElementById('export-fhir'))?.focus();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body.conflict === 'member-mismatch') {
        const go = await confirmDialog({
          id: 'mismatch-dialog',
          title: 'The member does not match the document',
          body: [h('p', {}, `${err.message}.`), h('p', {}, 'This document may belong to someone else.')],
          buttons: [{ value: 'yes', label: 'Save for this member anyway', danger: true }],
        });
        if (go) return save(state, { ...extra, confirmMismatch: true });
        toast('Not saved: check the member link', 'error');
        return false;
      }
      if (err instanceof ApiError && err.status === 409) {
        const reload = h('button', { type: 'button' }, 'Reload');
        reload.addEventListener('click', () => {
          s.dirty = false;
          nav.reload();
        });
        leaseBox.replaceChildren(h('div', { class: 'alert', role: 'alert' }, err.message, ' ', reload));
      }
      toast(message(err), 'error');
      return false;
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

  async function loadMeanings(): Promise<void> {
    const codes = [
      ...new Map(
        s.items.flatMap((i) => i.item.codes ?? []).map((c) => [codeKey(c), { system: c.system, code: c.code }]),
      ).values(),
    ];
    if (!codes.length) return;
    try {
      const out = await api<{ codes: { system: string; code: string; display: string | null }[] }>('POST', '/api/vocab/lookup', {
        codes,
      });
      for (const c of out.codes) if (c.display) meanings.set(codeKey(c), c.display);
      if (!s.editing) renderItems();
    } catch {
      // Meanings are a help, not a requirement.
    }
  }

  // Live progress while the document is read and extracted: the record reloads when its items are ready.
  let stopLive: (() => void) | undefined;
  if (rec.stage === 'received' || rec.stage === 'read') {
    const live = h(
      'div',
      { class: 'notice live', id: 'live-progress', role: 'status' },
      rec.stage === 'received' ? 'Waiting to be read…' : 'Read; the items are being extracted…',
    );
    leaseBox.replaceChildren(live);
    stopLive = liveEvents((e) => {
      if (e.docId !== docId) return;
      if (e.type === 'job')
        live.textContent =
          e.status === 'failed'
            ? `The ${e.step} step failed once; it is retried…`
            : e.status === 'active'
              ? e.step === 'read'
                ? 'Reading the pages…'
                : 'Extracting the items…'
              : e.step === 'read'
                ? 'Read; the items are being extracted…'
                : 'Extracted: loading…';
      else if (['extracted', 'quarantined', 'superseded'].includes(e.stage)) {
        live.textContent = `${e.stage === 'extracted' ? 'Extracted' : e.stage}: loading…`;
        stopLive?.();
        // The index is written right after the store: give it a moment before reloading.
        setTimeout(() => nav.reload(), 300);
      } else if (e.stage === 'read')
        live.textContent = `Read${e.pages ? ` (${plural(e.pages, 'page')})` : ''}; the items are being extracted…`;
    });
  }
  void renderType();

  if (rec.stage !== 'quarantined' && rec.extracted && !finished) s.readOnly = !(await claim());
  if (finished) leaseBox.replaceChildren(h('div', { class: 'notice' }, `This record is ${stateLabel(rec.state).toLowerCase()}.`));
  renderItems();
  renderMember();
  renderActions();
  select(0, { focus: true });
  void loadMeanings();
  window.addEventListener('pagehide', () => void release(), { once: true });
  document.body.dataset.recordReadyMs = String(Math.round(performance.now() - t0));

  return {
    keys(key, e) {
      if (typing(e)) return false;
      if (s.editing) return false;
      // Arrows move between items only inside the list; elsewhere they scroll.
      if ((key === 'ArrowDown' || key === 'ArrowUp') && !(e.target as Element | null)?.closest?.('#items')) return false;
      switch (key) {
        case 'j':
        case 'ArrowDown':
          select(s.selected + 1, { focus: true });
          return true;
        case 'k':
        case 'ArrowUp':
          select(s.selected - 1, { focus: true });
          return true;
        case 'a':
          decide('accepted');
          return true;
        case 'r':
          decide('rejected');
          return true;
        case 'p':
          decide('pending');
          return true;
        case 'u':
          undo();
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
          void approve();
          return true;
        case 'R':
          void finishWithReason('rejected');
          return true;
        case 'M':
          void finishWithReason('needs-member-action');
          return true;
        case 'n':
          void goNext();
          return true;
        case 'x':
          if (document.getElementById('open-split')) void nav.navigate(`/records/${docId}?split`);
          return true;
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
      stopLive?.();
      await release();
      return true;
    },
  };
}

/**
 * "Save and next": the next open record after this one (oldest first) that no other clerk holds
 * (GET /api/documents/next); the last queue the clerk looked at when the server cannot say.
 */
export async function nextFromQueue(docId: string): Promise<string | undefined> {
  try {
    const out = await api<{ docId: string | null }>('GET', `/api/documents/next?after=${docId}`);
    return out.docId ?? undefined;
  } catch {
    return nextInQueue(docId);
  }
}
