// Documents the pipeline could not read: the reason, retry, and (supervisors) close.
import { api, me } from './api.ts';
import { confirmDialog } from './dialogs.ts';
import { fmtDate, gridTable, h, message, short, toast } from './dom.ts';
import type { View } from './keyboard.ts';
import { hasRole } from './model.ts';

interface QuarantineRow {
  docId: string;
  at: string;
  channel?: string;
  fileName?: string;
  stage: string;
  reason: string;
  code: string;
  attempts: number;
  status: string;
  closedBy?: string;
}

export async function quarantineView(view: HTMLElement): Promise<View> {
  const isSupervisor = hasRole(me.role, 'supervisor');
  const tbody = h('tbody');
  const statusSel = h(
    'select',
    { id: 'quarantine-status' },
    ['open', 'retried', 'closed', 'all'].map((v) => h('option', { value: v }, v)),
  );
  statusSel.addEventListener('change', () => void load());
  view.replaceChildren(
    h(
      'section',
      { class: 'queue' },
      h('h1', {}, 'Quarantine'),
      h(
        'p',
        { class: 'muted' },
        'Documents the pipeline could not read, with the reason. Retry re-queues a document; a supervisor can close it.',
      ),
      h('div', { class: 'filters' }, h('label', {}, 'Status ', statusSel)),
      gridTable(
        'quarantine-table',
        ['When', 'Channel', 'File', 'Stage', 'Reason', 'Attempts', 'Status', 'Actions'],
        tbody,
        'Quarantined documents',
      ),
    ),
  );
  async function load(): Promise<void> {
    const data = await api<{ records: QuarantineRow[] }>('GET', `/api/quarantine?status=${statusSel.value}`);
    tbody.replaceChildren(
      ...data.records.map((r) =>
        h(
          'tr',
          { dataset: { doc: r.docId } },
          h('td', {}, fmtDate(r.at)),
          h('td', {}, r.channel ?? ''),
          h('td', {}, r.fileName ?? short(r.docId)),
          h('td', {}, r.stage),
          h('td', { class: 'reason' }, `${r.reason} (${r.code})`),
          h('td', { class: 'num' }, r.attempts),
          h('td', {}, r.status, r.closedBy ? ` by ${r.closedBy}` : ''),
          h(
            'td',
            {},
            r.status !== 'closed'
              ? h('button', { type: 'button', class: 'retry', onclick: () => void act(r.docId, 'retry') }, 'Retry')
              : null,
            r.status !== 'closed' && isSupervisor
              ? h('button', { type: 'button', class: 'close', onclick: () => void act(r.docId, 'close') }, 'Close')
              : null,
          ),
        ),
      ),
    );
    if (!data.records.length) tbody.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'Nothing quarantined.')));
  }
  /** Close needs a confirmation (the document leaves the queue for good); the note is optional. */
  async function closeNote(): Promise<{ note?: string } | null> {
    const note = h('textarea', { id: 'close-note', name: 'note', rows: 3, maxlength: 500 });
    const go = await confirmDialog({
      id: 'close-dialog',
      title: 'Close this quarantine record?',
      body: [
        h('p', {}, 'The document leaves the queue; nobody is asked to read it again.'),
        h('label', { for: 'close-note' }, 'Why (optional, kept with the quarantine record)'),
        note,
      ],
      buttons: [{ value: 'close', label: 'Close record', danger: true }],
    });
    if (go !== 'close') return null;
    return note.value.trim() ? { note: note.value.trim() } : {};
  }
  async function act(docId: string, what: 'retry' | 'close'): Promise<void> {
    try {
      const body = what === 'close' ? await closeNote() : undefined;
      if (body === null) return;
      await api('POST', `/api/quarantine/${docId}/${what}`, body);
      toast(what === 'retry' ? 'Re-queued' : 'Closed');
      await load();
    } catch (err) {
      toast(message(err), 'error');
    }
  }
  await load();
  return { keys: () => false, leave: async () => true };
}
