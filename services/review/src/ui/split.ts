// The split view: a document's pages as thumbnails, grouped into the documents they will become
// (suggested by the patient each page names), moved between groups by drag and drop or with
// each page's own "document" select, rotated, then split (POST …/split). With an existing
// record found by search (name, birth date, MRN, member id or id): one group's pages moved to
// the end of it (POST …/move), or the whole document merged into it as its continuation
// (POST …/merge). Every resulting document names its sources; the originals stay as received.
import { api, ApiError, type QueueResponse, type QueueRow, type RecordResponse } from './api.ts';
import { confirmDialog } from './dialogs.ts';
import { fmtDate, h, message, plural, short, toast, typing } from './dom.ts';
import { stateLabel } from './model.ts';
import type { View } from './keyboard.ts';

type Patient = { name?: string; birthDate?: string; mrn?: string };
const who = (p: Patient | undefined) =>
  [p?.name, p?.birthDate && `DOB ${p.birthDate}`, p?.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ');

export async function splitView(view: HTMLElement, docId: string, nav: { navigate(path: string): Promise<void> }): Promise<View> {
  view.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const rec = await api<RecordResponse>('GET', `/api/documents/${docId}`);
  const pageNames = new Map((rec.identity?.pages ?? []).map((p) => [p.page, p]));
  const suggested = rec.identity?.groups?.length ? rec.identity.groups.map((g) => [...g.pages]) : [rec.pages.map((p) => p.page)];
  // Every page exactly once: pages the suggestion missed go with the last group.
  const seen = new Set(suggested.flat());
  const missing = rec.pages.map((p) => p.page).filter((p) => !seen.has(p));
  if (missing.length) suggested[suggested.length - 1]!.push(...missing);
  let groups: number[][] = suggested.length >= 2 ? suggested : [...suggested, []];
  const rotation = new Map(rec.pages.map((p) => [p.page, p.rotation ?? 0]));
  let busy = false;

  const board = h('div', { class: 'split-board', id: 'split-board' });
  const status = h('p', { class: 'muted', id: 'split-status', role: 'status' });
  const splitButton = h('button', { type: 'button', class: 'primary', id: 'split-confirm' }, 'Split…');
  const addGroup = h('button', { type: 'button', id: 'split-add-group' }, '+ New document');
  const back = h(
    'a',
    { href: `/records/${docId}`, 'data-nav': true, class: 'button', id: 'split-back' },
    'Back to the record (Esc)',
  );
  // --- an existing record: found by search, then pages moved to it or this document merged into it ---
  const targetQuery = h('input', {
    id: 'target-q',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    value: rec.patient?.name ?? '',
    'aria-describedby': 'target-q-hint',
  });
  const targetForm = h(
    'form',
    { id: 'target-search', class: 'filters', role: 'search', 'aria-label': 'Find the existing record' },
    h('label', { for: 'target-q' }, 'Find the record'),
    targetQuery,
    h('button', { type: 'submit' }, 'Search'),
    h('span', { class: 'muted small', id: 'target-q-hint' }, 'name, birth date, MRN, member id or document id'),
  );
  const targetList = h('fieldset', { id: 'target-list', class: 'target-list' }, h('legend', {}, 'Existing record'));
  const targetStatus = h('p', { class: 'muted', id: 'target-status', role: 'status' });
  const moveGroup = h('select', { id: 'move-group' });
  const moveButton = h('button', { type: 'button', id: 'move-confirm' }, 'Move those pages to the record…');
  const mergeButton = h('button', { type: 'button', id: 'merge-confirm' }, 'Merge this whole document into the record…');
  let targets: QueueRow[] = [];
  const chosenTarget = (): QueueRow | undefined => {
    const id = targetList.querySelector<HTMLInputElement>('input[name="target"]:checked')?.value;
    return targets.find((t) => t.docId === id);
  };
  const open = rec.stage === 'extracted' && rec.state !== 'approved' && rec.state !== 'rejected';

  view.replaceChildren(
    h(
      'section',
      { class: 'split', 'aria-labelledby': 'split-title' },
      h('h1', { id: 'split-title' }, `Split document ${short(docId)} (${plural(rec.pages.length, 'page')})`),
      rec.identity?.mixedPatients
        ? h(
            'div',
            { class: 'alert', role: 'alert' },
            '⚠ The pages name different patients: ',
            rec.identity.groups.map((g) => `${who(g.patient) || 'no name'} (p. ${g.pages.join(', ')})`).join('; '),
            '. The groups below follow them.',
          )
        : null,
      h(
        'p',
        { class: 'muted' },
        'Drag pages between documents, or choose each page’s document in its list. Each group becomes a new document that names where its pages came from; the original file stays as received.',
      ),
      open ? null : h('div', { class: 'notice' }, 'This document is not open for review: it cannot be split.'),
      board,
      h('div', { class: 'form-buttons split-actions' }, splitButton, addGroup, back),
      status,
      h(
        'section',
        { class: 'merge', id: 'existing', 'aria-labelledby': 'existing-title' },
        h('h2', { id: 'existing-title' }, 'Pages of an existing record, or its continuation'),
        h(
          'p',
          { class: 'muted' },
          'Moved pages go to the end of the record you choose; a merge puts all of this document after its pages. Both make new documents that name their sources.',
        ),
        targetForm,
        targetList,
        targetStatus,
        h('div', { class: 'form-buttons' }, h('label', { for: 'move-group' }, 'Pages to move'), moveGroup, moveButton),
        h('div', { class: 'form-buttons' }, mergeButton),
      ),
    ),
  );

  function render(focusPage?: number): void {
    board.replaceChildren(
      ...groups.map((pages, g) => {
        const names = [...new Set(pages.map((p) => pageNames.get(p)?.name).filter(Boolean))];
        const titleId = `split-group-${g}-title`;
        const zone = h(
          'section',
          { class: 'split-group', dataset: { group: String(g) }, 'aria-labelledby': titleId },
          h(
            'h2',
            { id: titleId },
            `Document ${g + 1}`,
            ' ',
            h('span', { class: 'count' }, plural(pages.length, 'page')),
            names.length ? h('span', { class: 'muted' }, ` · ${names.join(', ')}`) : null,
          ),
          h('ol', { class: 'split-pages' }, ...pages.map((p) => card(p, g))),
          pages.length ? null : h('p', { class: 'muted drop-hint' }, 'Drop pages here'),
        );
        zone.addEventListener('dragover', (e) => {
          e.preventDefault();
          zone.classList.add('dragging');
        });
        zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
        zone.addEventListener('drop', (e) => {
          e.preventDefault();
          zone.classList.remove('dragging');
          const page = Number(e.dataTransfer?.getData('text/plain'));
          if (page) movePage(page, g);
        });
        return zone;
      }),
    );
    const filled = groups.filter((g) => g.length).length;
    splitButton.textContent = `Split into ${plural(filled, 'document')}…`;
    splitButton.disabled = !open || filled < 2 || busy;
    const keep = moveGroup.value;
    moveGroup.replaceChildren(
      ...groups.flatMap((pages, g) =>
        pages.length
          ? [
              h(
                'option',
                { value: String(g), selected: String(g) === keep },
                `Document ${g + 1} (${plural(pages.length, 'page')}: ${pages.join(', ')})`,
              ),
            ]
          : [],
      ),
    );
    renderTargetButtons();
    if (focusPage) board.querySelector<HTMLElement>(`select[data-page="${focusPage}"]`)?.focus();
  }

  function card(page: number, g: number): HTMLLIElement {
    const info = pageNames.get(page);
    const selectId = `split-page-${page}`;
    const choose = h(
      'select',
      { id: selectId, dataset: { page: String(page) } },
      ...groups.map((_, k) => h('option', { value: String(k), selected: k === g }, `Document ${k + 1}`)),
      h('option', { value: 'new' }, 'A new document'),
    );
    choose.addEventListener('change', () => movePage(page, choose.value === 'new' ? groups.length : Number(choose.value)));
    const rotate = h(
      'button',
      { type: 'button', class: 'small rotate', 'aria-label': `Rotate page ${page} a quarter turn clockwise` },
      '⟳ Rotate',
    );
    rotate.addEventListener('click', () => void rotatePage(page));
    const deg = rotation.get(page) ?? 0;
    const img = rec.pages.find((p) => p.page === page)?.image
      ? h('img', {
          src: `/api/documents/${docId}/pages/${page}/thumbnail?width=160&r=${deg}`,
          alt: `Page ${page}${info?.name ? `, naming ${info.name}` : ''}`,
          loading: 'lazy',
          draggable: 'false',
        })
      : h('div', { class: 'no-thumb muted' }, `Page ${page}`);
    const li = h(
      'li',
      { class: 'split-page', draggable: 'true', dataset: { page: String(page) } },
      img,
      h(
        'div',
        { class: 'split-page-info' },
        h('strong', {}, `Page ${page}`),
        info ? h('span', { class: 'muted small' }, who(info)) : h('span', { class: 'muted small' }, 'names nobody'),
        deg ? h('span', { class: 'muted small' }, `rotated ${deg}°`) : null,
      ),
      h('label', { for: selectId, class: 'visually-hidden' }, `Document for page ${page}`),
      choose,
      rotate,
    );
    li.addEventListener('dragstart', (e) => {
      e.dataTransfer?.setData('text/plain', String(page));
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    });
    return li;
  }

  function movePage(page: number, to: number): void {
    const from = groups.findIndex((g) => g.includes(page));
    if (from === to) return;
    const next = groups.map((g) => g.filter((p) => p !== page));
    while (next.length <= to) next.push([]);
    next[to]!.push(page);
    next[to]!.sort((a, b) => a - b);
    // Empty groups go, except that two documents stay on the board to move pages into.
    groups = next.filter((g, i) => g.length || i === to);
    while (groups.length < 2) groups.push([]);
    render(page);
    status.textContent = `Page ${page} goes to document ${groups.findIndex((g) => g.includes(page)) + 1}.`;
  }

  async function rotatePage(page: number): Promise<void> {
    const next = ((rotation.get(page) ?? 0) + 90) % 360;
    try {
      await api('POST', `/api/documents/${docId}/pages/${page}/rotate`, { rotation: next });
      rotation.set(page, next);
      render();
      board.querySelector<HTMLElement>(`li[data-page="${page}"] button.rotate`)?.focus();
      status.textContent = `Page ${page} rotated to ${next}°.`;
    } catch (err) {
      toast(message(err), 'error');
    }
  }

  async function split(): Promise<void> {
    const chosen = groups.filter((g) => g.length);
    if (chosen.length < 2 || busy) return;
    const go = await confirmDialog({
      id: 'split-dialog',
      title: `Split into ${plural(chosen.length, 'document')}?`,
      body: [
        h(
          'ol',
          {},
          ...chosen.map((pages) => {
            const names = [...new Set(pages.map((p) => pageNames.get(p)?.name).filter(Boolean))];
            return h('li', {}, `pages ${pages.join(', ')}`, names.length ? ` · ${names.join(', ')}` : '');
          }),
        ),
        h(
          'p',
          { class: 'muted small' },
          'Each becomes a new document in the queue, read again for its items; this one is kept as received.',
        ),
      ],
      buttons: [{ value: 'split', label: 'Split', primary: true }],
    });
    if (go !== 'split') return;
    busy = true;
    render();
    status.textContent = 'Splitting…';
    try {
      const out = await api<{ documents: { docId: string; pages: number[] }[] }>('POST', `/api/documents/${docId}/split`, {
        groups: chosen,
      });
      sessionStorage.setItem('split-result', JSON.stringify(out.documents.map((d) => d.docId)));
      toast(`Split into ${plural(out.documents.length, 'document')}`);
      await nav.navigate(`/records/${out.documents[0]!.docId}`);
    } catch (err) {
      busy = false;
      render();
      status.textContent = '';
      toast(err instanceof ApiError ? err.message : message(err), 'error');
    }
  }

  function renderTargetButtons(): void {
    const target = chosenTarget();
    mergeButton.disabled = !open || busy || !target;
    moveButton.disabled = !open || busy || !target || !moveGroup.value;
  }

  async function findTargets(): Promise<void> {
    const q = targetQuery.value.trim();
    if (!q) {
      targetStatus.textContent = 'Type a name, birth date, MRN, member id or document id.';
      return;
    }
    targetStatus.textContent = 'Searching…';
    try {
      const out = await api<QueueResponse>('POST', '/api/documents/search', { q, state: 'all', limit: 50 });
      // Records whose pages can still change, or approved/rejected ones (shown, not choosable: a supervisor reopens them).
      targets = out.documents.filter((d) => d.docId !== docId && d.stage === 'extracted');
      const legend = targetList.querySelector('legend')!;
      targetList.replaceChildren(
        legend,
        ...targets.map((t) => {
          const id = `target-${t.docId.slice(0, 16)}`;
          const finishedTarget = t.state === 'approved' || t.state === 'rejected';
          const radio = h('input', { type: 'radio', name: 'target', id, value: t.docId, disabled: finishedTarget });
          radio.addEventListener('change', renderTargetButtons);
          return h(
            'div',
            { class: 'target', dataset: { doc: t.docId } },
            radio,
            h(
              'label',
              { for: id },
              [
                who(t.patient) || 'no name',
                t.pages ? plural(t.pages, 'page') : '',
                `received ${fmtDate(t.receivedAt).slice(0, 10)}`,
                t.channel,
                stateLabel(t.state),
                short(t.docId),
              ]
                .filter(Boolean)
                .join(' · '),
              finishedTarget ? h('span', { class: 'muted small' }, ` (${t.state}: a supervisor reopens it first)`) : null,
            ),
          );
        }),
      );
      targetStatus.textContent = targets.length ? `${plural(targets.length, 'record')} found.` : 'No record found.';
      renderTargetButtons();
    } catch (err) {
      targetStatus.textContent = message(err);
    }
  }

  async function move(): Promise<void> {
    const target = chosenTarget();
    const g = Number(moveGroup.value);
    const pages = groups[g] ?? [];
    if (!target || !pages.length || busy) return;
    const rest = rec.pages.length - pages.length;
    const go = await confirmDialog({
      id: 'move-dialog',
      title: `Move ${plural(pages.length, 'page')} to ${short(target.docId)}?`,
      body: [
        h(
          'p',
          {},
          `A new document will hold the pages of ${who(target.patient) || short(target.docId)} and then page${pages.length === 1 ? '' : 's'} ${pages.join(', ')} of this one` +
            (rest ? `; the other ${plural(rest, 'page')} become a document of their own.` : '.'),
        ),
        h('p', { class: 'muted small' }, 'Both are read again for their items; the documents they replace are kept as received.'),
      ],
      buttons: [{ value: 'move', label: 'Move pages', primary: true }],
    });
    if (go !== 'move') return;
    busy = true;
    render();
    try {
      const out = await api<{ source: { docId: string } | null; target: { docId: string } }>(
        'POST',
        `/api/documents/${docId}/move`,
        {
          pages,
          to: target.docId,
        },
      );
      sessionStorage.setItem('move-result', JSON.stringify(out));
      toast(`${plural(pages.length, 'page')} moved`);
      await nav.navigate(`/records/${out.target.docId}`);
    } catch (err) {
      busy = false;
      render();
      toast(message(err), 'error');
    }
  }

  async function merge(): Promise<void> {
    const target = chosenTarget();
    if (!target || busy) return;
    const go = await confirmDialog({
      id: 'merge-dialog',
      title: `Merge into ${short(target.docId)}?`,
      body: [
        h(
          'p',
          {},
          `A new document will hold the pages of ${who(target.patient) || short(target.docId)} and then these ${plural(rec.pages.length, 'page')}, linked to that record’s member.`,
        ),
      ],
      buttons: [{ value: 'merge', label: 'Merge', primary: true }],
    });
    if (go !== 'merge') return;
    busy = true;
    render();
    try {
      const out = await api<{ docId: string }>('POST', `/api/documents/${docId}/merge`, { into: target.docId });
      toast('Merged');
      await nav.navigate(`/records/${out.docId}`);
    } catch (err) {
      busy = false;
      render();
      toast(message(err), 'error');
    }
  }

  splitButton.addEventListener('click', () => void split());
  mergeButton.addEventListener('click', () => void merge());
  moveButton.addEventListener('click', () => void move());
  moveGroup.addEventListener('change', renderTargetButtons);
  targetForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void findTargets();
  });
  addGroup.addEventListener('click', () => {
    groups.push([]);
    render();
    status.textContent = `Document ${groups.length} added: move pages into it.`;
  });
  render();
  board.querySelector<HTMLElement>('select')?.focus();
  if (open && targetQuery.value) void findTargets();

  return {
    keys(key, e) {
      if (typing(e) && key !== 'Escape') return false;
      if (key === 'Escape' && !(e.target as Element | null)?.closest?.('select')) {
        void nav.navigate(`/records/${docId}`);
        return true;
      }
      return false;
    },
    leave: async () => true,
  };
}
