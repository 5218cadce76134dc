// The pipeline's queues (admin): job counts by state per queue, the failed jobs with their
// reasons, retrying a failed job and cleaning finished jobs (GET/POST /api/admin/queues…).
import { api } from './api.ts';
import { confirmDialog } from './dialogs.ts';
import { fmtDate, gridTable, h, message, plural, short, toast } from './dom.ts';
import type { View } from './keyboard.ts';

interface FailedJob {
  id: string;
  name: string;
  docId: string | null;
  attempts: number;
  reason: string;
  failedAt: string | null;
  stage: string | null;
}

interface QueueInfo {
  name: string;
  jobs: string[];
  counts: Record<string, number>;
  failed: FailedJob[];
}

const STATE_LABELS: [string, string][] = [
  ['waiting', 'Waiting'],
  ['prioritized', 'Prioritized'],
  ['delayed', 'Delayed (retry backoff)'],
  ['active', 'Running'],
  ['failed', 'Failed'],
  ['completed', 'Completed'],
  ['paused', 'Paused'],
];

export async function adminQueuesView(view: HTMLElement): Promise<View> {
  const body = h('div', { id: 'queues-body' });
  const refresh = h('button', { type: 'button', id: 'queues-refresh' }, 'Refresh');
  const status = h('p', { class: 'muted', id: 'queues-status', role: 'status' });
  refresh.addEventListener('click', () => void load(true));
  view.replaceChildren(
    h(
      'section',
      { class: 'queue admin-queues' },
      h('h1', {}, 'Pipeline queues'),
      h(
        'p',
        { class: 'muted' },
        'Jobs carry document ids only. A failed job of a quarantined document is retried through its quarantine record; cleaning keeps failed jobs whose failure is not recorded yet.',
      ),
      h('div', { class: 'form-buttons' }, refresh),
      status,
      body,
    ),
  );

  async function load(announce = false): Promise<void> {
    const data = await api<{ prefix: string; queues: QueueInfo[] }>('GET', '/api/admin/queues');
    body.replaceChildren(...data.queues.map((q) => queueSection(q)));
    if (announce) status.textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  }

  function queueSection(q: QueueInfo): HTMLElement {
    const titleId = `queue-${q.name}-title`;
    const counts = h(
      'dl',
      { class: 'queue-counts', id: `queue-${q.name}-counts` },
      ...STATE_LABELS.flatMap(([state, label]) => [
        h('dt', {}, label),
        h('dd', { dataset: { state } }, String(q.counts[state] ?? 0)),
      ]),
    );
    const tbody = h('tbody');
    for (const job of q.failed) {
      const retry = h('button', { type: 'button', class: 'small retry', 'aria-label': `Retry job ${job.id}` }, 'Retry');
      retry.addEventListener('click', () => void retryJob(q.name, job, retry));
      tbody.append(
        h(
          'tr',
          { dataset: { job: job.id } },
          h('td', {}, fmtDate(job.failedAt ?? undefined)),
          h('td', {}, job.name),
          h(
            'td',
            {},
            job.docId ? h('a', { href: `/records/${job.docId}`, 'data-nav': true, class: 'mono' }, short(job.docId)) : '—',
          ),
          h('td', { class: 'num' }, job.attempts),
          h('td', { class: 'reason' }, job.reason || '—'),
          h('td', {}, job.stage ?? '—'),
          h('td', {}, retry),
        ),
      );
    }
    if (!q.failed.length) tbody.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No failed jobs.')));
    const cleanCompleted = h('button', { type: 'button', class: 'small', id: `clean-${q.name}-completed` }, 'Clean completed…');
    const cleanFailed = h('button', { type: 'button', class: 'small', id: `clean-${q.name}-failed` }, 'Clean failed…');
    cleanCompleted.addEventListener('click', () => void clean(q, 'completed'));
    cleanFailed.addEventListener('click', () => void clean(q, 'failed'));
    return h(
      'section',
      { class: 'queue-admin', id: `queue-${q.name}`, 'aria-labelledby': titleId },
      h('h2', { id: titleId }, `Queue “${q.name}”`, ' ', h('span', { class: 'muted small' }, `(${q.jobs.join(', ')})`)),
      counts,
      h('div', { class: 'form-buttons' }, cleanCompleted, cleanFailed),
      gridTable(
        `failed-${q.name}`,
        [
          'Failed at',
          'Job',
          'Document',
          'Attempts',
          'Reason',
          'Document stage',
          h('span', { class: 'visually-hidden' }, 'Actions'),
        ],
        tbody,
        `Failed jobs of the ${q.name} queue`,
      ),
    );
  }

  async function retryJob(queue: string, job: FailedJob, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const out = await api<{ via: 'quarantine' | 'job' }>(
        'POST',
        `/api/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(job.id)}/retry`,
      );
      const text =
        out.via === 'quarantine' ? `Job ${job.id}: retried through its quarantine record` : `Job ${job.id}: back to waiting`;
      toast(text);
      await load();
      status.textContent = text;
    } catch (err) {
      button.disabled = false;
      toast(message(err), 'error');
    }
  }

  async function clean(q: QueueInfo, state: 'completed' | 'failed'): Promise<void> {
    const n = q.counts[state] ?? 0;
    const go = await confirmDialog({
      id: 'clean-dialog',
      title: `Clean ${state} jobs of “${q.name}”?`,
      body: [
        h(
          'p',
          {},
          state === 'completed'
            ? `Removes the ${plural(n, 'completed job')} from the queue. Documents and their records are not touched.`
            : `Removes failed jobs whose document is quarantined, closed or done (the reason stays in the quarantine record); a failure nobody recorded stays.`,
        ),
      ],
      buttons: [{ value: 'clean', label: `Clean ${state} jobs`, danger: true }],
    });
    if (go !== 'clean') return;
    try {
      const out = await api<{ removed: number; kept: number }>('POST', `/api/admin/queues/${encodeURIComponent(q.name)}/clean`, {
        state,
      });
      const text = `${q.name}: ${plural(out.removed, `${state} job`)} removed${out.kept ? `, ${out.kept} kept (not recorded)` : ''}`;
      toast(text);
      await load();
      status.textContent = text;
    } catch (err) {
      toast(message(err), 'error');
    }
  }

  await load();
  return { keys: () => false, leave: async () => true };
}
