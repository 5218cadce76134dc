// The review queue: tabs per state, saved views, filters, search (sent in a POST body, never in
// the URL), what each document is (the patient it names, type, sender, age against the
// turnaround target), live progress of documents being read (server-sent events), upload of
// paper brought to the appointment, and the supervisors' bulk actions.
import {
  api,
  documentTypes,
  liveEvents,
  me,
  uploadFiles,
  type DocumentTypeInfo,
  type LiveEvent,
  type QueueResponse,
  type QueueRow,
} from './api.ts';
import { reasonDialog } from './dialogs.ts';
import { fmtDate, gridTable, h, message, plural, short, toast, typing } from './dom.ts';
import type { View } from './keyboard.ts';
import { hasRole, QUEUE_TABS, STATE_LABELS, stateLabel } from './model.ts';

const queueState = { state: 'pending' as string, view: '', q: '', from: '', to: '', channel: '', selected: 0 };
const CHANNELS = ['fax', 'email', 'upload', 'cli'];

function rememberQueue(ids: string[]): void {
  sessionStorage.setItem('queue', JSON.stringify(ids));
}

/** The record after this one in the queue the clerk last looked at. */
export function nextInQueue(docId: string): string | undefined {
  const ids = JSON.parse(sessionStorage.getItem('queue') ?? '[]') as string[];
  const i = ids.indexOf(docId);
  return i >= 0 ? ids[i + 1] : ids[0];
}

/** What the pipeline is doing with a document not yet extracted, from its stage and its live job. */
function progressText(row: QueueRow, job: { step: string; status: string } | undefined): string | undefined {
  if (row.stage !== 'received' && row.stage !== 'read') return undefined;
  if (job?.status === 'failed') return `${job.step === 'read' ? 'Reading' : 'Extracting'} failed, retrying…`;
  if (job?.status === 'active') return job.step === 'read' ? 'Reading…' : 'Extracting items…';
  return row.stage === 'received' ? 'Waiting to be read' : 'Read, waiting for extraction';
}

const ageText = (hours: number | undefined): string =>
  hours === undefined
    ? ''
    : hours < 1
      ? `${Math.max(0, Math.round(hours * 60))} min`
      : hours < 48
        ? `${Math.round(hours)} h`
        : `${Math.round(hours / 24)} d`;

export async function queueView(view: HTMLElement, nav: { navigate(path: string): Promise<void> }): Promise<View> {
  const isSupervisor = hasRole(me.role, 'supervisor');
  const params = new URLSearchParams(location.search);
  for (const k of ['state', 'view', 'from', 'to', 'channel'] as const) if (params.has(k)) queueState[k] = params.get(k) ?? '';
  const [types, views] = await Promise.all([
    documentTypes().catch((): DocumentTypeInfo[] => []),
    api<{ views: { id: string; label: string; description?: string }[] }>('GET', '/api/queue/views')
      .then((r) => r.views)
      .catch(() => []),
  ]);
  const typeLabel = (id: string | undefined) => (id ? (types.find((t) => t.id === id)?.label ?? id) : '');

  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': 'Review state' });
  const search = h('input', {
    type: 'search',
    id: 'queue-search',
    'aria-label': 'Search by member id or name, birth date, MRN or document id',
    placeholder: 'Name, birth date, MRN, member or document id  ( / )',
    value: queueState.q,
  });
  const from = h('input', { type: 'date', id: 'queue-from', value: queueState.from, 'aria-label': 'Received from' });
  const to = h('input', { type: 'date', id: 'queue-to', value: queueState.to, 'aria-label': 'Received to' });
  const channel = h(
    'select',
    { id: 'queue-channel', 'aria-label': 'Channel' },
    h('option', { value: '' }, 'Any channel'),
    CHANNELS.map((c) => h('option', { value: c, selected: queueState.channel === c }, c)),
  );
  const viewSelect = h(
    'select',
    { id: 'queue-view', 'aria-label': 'Saved view (v)' },
    h('option', { value: '' }, 'No saved view'),
    views.map((v) => h('option', { value: v.id, selected: queueState.view === v.id, title: v.description ?? '' }, v.label)),
  );
  const tbody = h('tbody');
  const summary = h('p', { class: 'muted', id: 'queue-summary', role: 'status' });
  const liveStatus = h('span', { class: 'muted small', id: 'queue-live' }, 'Live updates: connecting…');
  let docs: QueueRow[] = [];
  let turnaround = 48;
  const jobs = new Map<string, { step: string; status: string }>();
  const checked = new Set<string>();

  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void load();
      },
    },
    search,
    viewSelect,
    from,
    to,
    channel,
    h('button', { type: 'submit' }, 'Search'),
  );
  for (const el of [from, to, channel, viewSelect]) el.addEventListener('change', () => void load());

  // --- upload: drag and drop or choose files; progress of the bytes sent, then each file's outcome ---
  const fileInput = h('input', { type: 'file', id: 'upload-input', multiple: true, class: 'visually-hidden' });
  const uploadProgress = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': 'Upload' });
  const uploadResults = h('ul', { id: 'upload-results', class: 'upload-results', 'aria-live': 'polite' });
  const chooseLabel = h('label', { for: 'upload-input', class: 'button' }, 'Choose files…');
  const drop = h(
    'section',
    { class: 'upload', id: 'upload', 'aria-label': 'Upload' },
    h('h2', {}, 'Upload paper brought to the appointment'),
    h('p', { class: 'muted small' }, 'Drop scans or PDFs here, or ', chooseLabel, ' (several at once).'),
    fileInput,
    uploadProgress,
    uploadResults,
  );
  async function upload(files: File[]): Promise<void> {
    if (!files.length) return;
    uploadProgress.hidden = false;
    uploadProgress.value = 0;
    uploadResults.replaceChildren(h('li', { class: 'muted' }, `Uploading ${plural(files.length, 'file')}…`));
    try {
      const out = await uploadFiles(files, (sent, total) => (uploadProgress.value = Math.round((sent / total) * 100)));
      uploadProgress.value = 100;
      const OUTCOME: Record<string, string> = {
        queued: 'received, being read',
        repeat: 'already received',
        quarantined: 'quarantined',
        refused: 'refused',
      };
      uploadResults.replaceChildren(
        ...out.map((f) =>
          h(
            'li',
            { class: `upload-${f.outcome}`, dataset: { doc: f.docId ?? '' } },
            `${f.fileName}: ${OUTCOME[f.outcome] ?? f.outcome}`,
            f.reason ? ` (${f.reason})` : '',
          ),
        ),
      );
      toast(`Uploaded ${plural(out.filter((f) => f.outcome === 'queued').length, 'new document')}`);
      await load();
    } catch (err) {
      uploadResults.replaceChildren(h('li', { class: 'error' }, `Upload failed: ${message(err)}`));
    } finally {
      uploadProgress.hidden = true;
      fileInput.value = '';
    }
  }
  fileInput.addEventListener('change', () => void upload([...(fileInput.files ?? [])]));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    void upload([...(e.dataTransfer?.files ?? [])]);
  });

  // --- bulk actions (supervisors) ---
  const bulkAction = h(
    'select',
    { id: 'bulk-action', 'aria-label': 'Bulk action' },
    h('option', { value: 'needs-member-action' }, 'Needs member action…'),
    h('option', { value: 'reject' }, 'Reject…'),
    h('option', { value: 'release' }, 'Release claims'),
    ...types.map((t) => h('option', { value: `type:${t.id}` }, `Type: ${t.label}`)),
  );
  const bulkCount = h('span', { class: 'muted', id: 'bulk-count' }, 'none selected');
  const bulkApply = h('button', { type: 'button', id: 'bulk-apply', disabled: true }, 'Apply to selected');
  const bulkBar = isSupervisor
    ? h('div', { class: 'bulk', id: 'bulk', role: 'group', 'aria-label': 'Bulk actions' }, bulkCount, bulkAction, bulkApply)
    : null;
  const renderBulk = () => {
    bulkCount.textContent = checked.size ? `${plural(checked.size, 'document')} selected` : 'none selected';
    bulkApply.disabled = checked.size === 0;
  };
  bulkApply.addEventListener('click', () => {
    void (async () => {
      const chosen = bulkAction.value;
      const body: Record<string, unknown> = { docIds: [...checked] };
      if (chosen.startsWith('type:')) Object.assign(body, { action: 'set-type', type: chosen.slice(5) });
      else if (chosen === 'release') body.action = 'release';
      else {
        const reason = await reasonDialog({
          id: 'bulk-dialog',
          title:
            chosen === 'reject'
              ? `Reject ${plural(checked.size, 'record')}?`
              : `${plural(checked.size, 'record')}: needs member action`,
          intro: 'One reason for all of them, kept with each record’s revision and in the audit log.',
          confirm: chosen === 'reject' ? 'Reject records' : 'Set needs member action',
          danger: chosen === 'reject',
        });
        if (reason === null) return;
        Object.assign(body, { action: chosen, reason });
      }
      try {
        const out = await api<{ results: { docId: string; ok: boolean; error?: string }[] }>('POST', '/api/documents/bulk', body);
        const failed = out.results.filter((r) => !r.ok);
        toast(
          failed.length
            ? `${out.results.length - failed.length} done, ${failed.length} not: ${failed.map((f) => `${short(f.docId)} ${f.error ?? ''}`).join('; ')}`
            : `${plural(out.results.length, 'document')} done`,
          failed.length ? 'error' : 'info',
        );
        checked.clear();
        await load();
      } catch (err) {
        toast(message(err), 'error');
      }
    })();
  });

  const headings: (string | Node)[] = [
    'Received',
    'Patient (as stated)',
    'Type',
    'From',
    'Pages',
    'Items',
    'State',
    'Member',
    'Document',
    'Claimed by',
  ];
  if (isSupervisor) headings.unshift(h('span', { class: 'visually-hidden' }, 'Select'));
  view.replaceChildren(
    h(
      'section',
      { class: 'queue' },
      h('div', { class: 'queue-head' }, h('h1', {}, 'Review queue'), liveStatus),
      drop,
      tabs,
      form,
      bulkBar,
      summary,
      gridTable('queue-table', headings, tbody, 'Documents'),
    ),
  );

  function select(i: number): void {
    queueState.selected = Math.max(0, Math.min(docs.length - 1, i));
    [...tbody.children].forEach((tr, n) => {
      tr.classList.toggle('selected', n === queueState.selected);
      if (tr instanceof HTMLElement && tr.dataset.doc) tr.setAttribute('aria-selected', String(n === queueState.selected));
    });
    tbody.children[queueState.selected]?.scrollIntoView({ block: 'nearest' });
  }

  function row(d: QueueRow, i: number): HTMLTableRowElement {
    const progress = progressText(d, jobs.get(d.docId));
    const p = d.patient ?? {};
    const cells = [
      h(
        'td',
        { class: d.overTarget ? 'age over' : 'age', title: `received ${fmtDate(d.receivedAt)}` },
        ageText(d.ageHours),
        d.overTarget ? h('span', { class: 'over-target' }, ` · over ${turnaround} h`) : null,
      ),
      h(
        'td',
        { class: 'patient' },
        p.name ?? (progress ? '' : h('span', { class: 'muted' }, 'no name')),
        p.birthDate ? h('span', { class: 'muted' }, ` · ${p.birthDate}`) : null,
        d.mixedPatients
          ? h('span', { class: 'flag mixed', title: 'The pages name different patients: split it' }, ' ⚑ 2+ patients')
          : null,
      ),
      h(
        'td',
        {},
        typeLabel(d.documentType),
        d.documentType && !d.documentTypeConfirmed
          ? h('span', { class: 'muted small', title: 'suggested by the pipeline, not yet confirmed' }, ' (suggested)')
          : null,
      ),
      h('td', {}, d.channel, d.sender ? h('span', { class: 'muted sender' }, ` · ${d.sender}`) : null),
      h('td', { class: 'num' }, d.pages ?? ''),
      h('td', { class: 'num' }, d.items || ''),
      h(
        'td',
        { class: 'state-cell' },
        progress
          ? h('span', { class: `progress-text${jobs.get(d.docId)?.status === 'active' ? ' busy' : ''}` }, progress)
          : h(
              'span',
              { class: `state ${d.stage === 'quarantined' ? 'quarantined' : d.state}` },
              d.stage === 'quarantined' ? 'quarantined' : stateLabel(d.state),
            ),
      ),
      h('td', {}, d.memberId ?? ''),
      h('td', {}, h('a', { href: `/records/${d.docId}`, 'data-nav': true, class: 'mono' }, short(d.docId))),
      h('td', {}, d.leaseHolder ?? ''),
    ];
    if (isSupervisor) {
      const box = h('input', {
        type: 'checkbox',
        checked: checked.has(d.docId),
        'aria-label': `Select ${p.name ?? 'document'} ${short(d.docId)}`,
      });
      box.addEventListener('change', () => {
        if (box.checked) checked.add(d.docId);
        else checked.delete(d.docId);
        renderBulk();
      });
      box.addEventListener('click', (e) => e.stopPropagation());
      cells.unshift(h('td', {}, box));
    }
    return h(
      'tr',
      {
        dataset: { doc: d.docId, stage: d.stage },
        class: progress ? 'in-progress' : undefined,
        onclick: () => select(i),
        ondblclick: () => void nav.navigate(`/records/${d.docId}`),
      },
      ...cells,
    );
  }

  let loading: Promise<void> | null = null;
  let again = false;
  async function load(): Promise<void> {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        do {
          again = false;
          await loadOnce();
        } while (again);
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  async function loadOnce(): Promise<void> {
    Object.assign(queueState, {
      q: search.value.trim(),
      from: from.value,
      to: to.value,
      channel: channel.value,
      view: viewSelect.value,
    });
    const qs = new URLSearchParams();
    for (const k of ['state', 'view', 'from', 'to', 'channel'] as const) if (queueState[k]) qs.set(k, queueState[k]);
    history.replaceState({}, '', `/?${qs}`);
    const filters = Object.fromEntries(qs);
    const data = queueState.q
      ? await api<QueueResponse>('POST', '/api/documents/search', { ...filters, q: queueState.q })
      : await api<QueueResponse>('GET', `/api/documents?${qs}`);
    docs = data.documents;
    turnaround = data.turnaroundHours ?? turnaround;
    rememberQueue(docs.filter((d) => d.stage === 'extracted').map((d) => d.docId));
    for (const id of [...checked]) if (!docs.some((d) => d.docId === id)) checked.delete(id);
    const total = Object.entries(data.counts).reduce((a, [k, n]) => (k === 'closed' || k === 'superseded' ? a : a + n), 0);
    tabs.replaceChildren(
      ...QUEUE_TABS.map((key, n) =>
        h(
          'button',
          {
            type: 'button',
            class: `tab ${queueState.state === key ? 'active' : ''}`,
            'aria-pressed': queueState.state === key ? 'true' : 'false',
            dataset: { state: key },
            title: `${n + 1}`,
            onclick: () => {
              queueState.state = key;
              queueState.selected = 0;
              void load();
            },
          },
          STATE_LABELS[key],
          ' ',
          h('span', { class: 'count' }, String(key === 'all' ? total : (data.counts[key] ?? 0))),
        ),
      ),
    );
    summary.textContent = `${plural(data.total, 'document')}${data.total > docs.length ? ` (first ${docs.length} shown)` : ''} · turnaround target ${turnaround} h`;
    tbody.replaceChildren(...docs.map((d, i) => row(d, i)));
    if (docs.length === 0) tbody.append(h('tr', {}, h('td', { colspan: headings.length, class: 'muted' }, 'Nothing here.')));
    renderBulk();
    select(queueState.selected);
  }
  await load();

  // Live progress: a job starting or ending redraws its row; a state change reloads the page of the queue.
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleReload = (ms = 250) => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void load().catch(() => undefined), ms);
  };
  const stop = liveEvents(
    (e: LiveEvent) => {
      if (e.type === 'job') {
        jobs.set(e.docId, { step: e.step, status: e.status });
        const i = docs.findIndex((d) => d.docId === e.docId);
        const tr = tbody.querySelector(`tr[data-doc="${e.docId}"]`);
        if (i >= 0 && tr) {
          const fresh = row(docs[i]!, i);
          if (i === queueState.selected) fresh.classList.add('selected');
          tr.replaceWith(fresh);
        }
        if (e.status === 'completed') scheduleReload();
      } else {
        if (e.stage === 'extracted' || e.stage === 'quarantined' || e.stage === 'superseded') jobs.delete(e.docId);
        scheduleReload();
      }
    },
    (connected) => (liveStatus.textContent = connected ? 'Live updates: on' : 'Live updates: reconnecting…'),
  );

  return {
    keys(key, e) {
      if (typing(e)) {
        if (key === 'Escape') {
          (e.target as HTMLElement).blur();
          return true;
        }
        return false;
      }
      if (key === 'j' || key === 'ArrowDown') return (select(queueState.selected + 1), true);
      if (key === 'k' || key === 'ArrowUp') return (select(queueState.selected - 1), true);
      if (key === '/') return (search.focus(), true);
      if (key === 'v') return (viewSelect.focus(), true);
      const doc = docs[queueState.selected];
      if ((key === 'Enter' || key === 'o') && doc) return (void nav.navigate(`/records/${doc.docId}`), true);
      if (/^[1-7]$/.test(key)) {
        queueState.state = QUEUE_TABS[Number(key) - 1]!;
        queueState.selected = 0;
        void load();
        return true;
      }
      return false;
    },
    leave: async () => {
      stop();
      clearTimeout(reloadTimer);
      return true;
    },
  };
}
