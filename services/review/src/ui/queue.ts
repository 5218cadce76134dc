// The review queue: tabs per state, filters, search (sent in a POST body, never in the URL).
import { api, type QueueResponse, type QueueRow } from './api.ts';
import { fmtDate, gridTable, h, short, typing } from './dom.ts';
import type { View } from './keyboard.ts';
import { QUEUE_TABS, STATE_LABELS, stateLabel } from './model.ts';

const queueState = { state: 'pending' as string, q: '', from: '', to: '', channel: '', selected: 0 };
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

export async function queueView(view: HTMLElement, nav: { navigate(path: string): Promise<void> }): Promise<View> {
  const params = new URLSearchParams(location.search);
  for (const k of ['state', 'from', 'to', 'channel'] as const) if (params.has(k)) queueState[k] = params.get(k) ?? '';
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Review state' });
  const search = h('input', {
    type: 'search',
    id: 'queue-search',
    'aria-label': 'Search by member id or name, birth date, MRN or document id',
    placeholder: 'Member id or name, document id  ( / )',
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
  const tbody = h('tbody');
  const summary = h('p', { class: 'muted', id: 'queue-summary' });
  let docs: QueueRow[] = [];

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
    from,
    to,
    channel,
    h('button', { type: 'submit' }, 'Search'),
  );
  for (const el of [from, to, channel]) el.addEventListener('change', () => void load());
  view.replaceChildren(
    h(
      'section',
      { class: 'queue' },
      h('h1', {}, 'Review queue'),
      tabs,
      form,
      summary,
      gridTable(
        'queue-table',
        ['Received', 'Channel', 'Pages', 'Items', 'State', 'Member', 'Document', 'Claimed by'],
        tbody,
        'Documents',
      ),
    ),
  );

  function select(i: number): void {
    queueState.selected = Math.max(0, Math.min(docs.length - 1, i));
    [...tbody.children].forEach((tr, n) => tr.classList.toggle('selected', n === queueState.selected));
    tbody.children[queueState.selected]?.scrollIntoView({ block: 'nearest' });
  }

  async function load(): Promise<void> {
    Object.assign(queueState, { q: search.value.trim(), from: from.value, to: to.value, channel: channel.value });
    const qs = new URLSearchParams();
    for (const k of ['state', 'from', 'to', 'channel'] as const) if (queueState[k]) qs.set(k, queueState[k]);
    history.replaceState({}, '', `/?${qs}`);
    const filters = Object.fromEntries(qs);
    const data = queueState.q
      ? await api<QueueResponse>('POST', '/api/documents/search', { ...filters, q: queueState.q })
      : await api<QueueResponse>('GET', `/api/documents?${qs}`);
    docs = data.documents;
    rememberQueue(docs.filter((d) => d.stage !== 'quarantined').map((d) => d.docId));
    const total = Object.entries(data.counts).reduce((a, [k, n]) => (k === 'closed' ? a : a + n), 0);
    tabs.replaceChildren(
      ...QUEUE_TABS.map((key, n) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: `tab ${queueState.state === key ? 'active' : ''}`,
            'aria-selected': queueState.state === key ? 'true' : 'false',
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
    summary.textContent = `${data.total} document${data.total === 1 ? '' : 's'}${data.total > docs.length ? ` (first ${docs.length} shown)` : ''}`;
    tbody.replaceChildren(
      ...docs.map((d, i) =>
        h(
          'tr',
          { dataset: { doc: d.docId }, onclick: () => select(i), ondblclick: () => void nav.navigate(`/records/${d.docId}`) },
          h('td', {}, fmtDate(d.receivedAt)),
          h('td', {}, d.channel),
          h('td', { class: 'num' }, d.pages ?? ''),
          h('td', { class: 'num' }, d.items || ''),
          h(
            'td',
            {},
            h(
              'span',
              { class: `state ${d.stage === 'quarantined' ? 'quarantined' : d.state}` },
              d.stage === 'quarantined' ? 'quarantined' : stateLabel(d.state),
            ),
          ),
          h('td', {}, d.memberId ?? ''),
          h('td', {}, h('a', { href: `/records/${d.docId}`, 'data-nav': true, class: 'mono' }, short(d.docId))),
          h('td', {}, d.leaseHolder ?? ''),
        ),
      ),
    );
    if (docs.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'Nothing here.')));
    select(queueState.selected);
  }
  await load();

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
    leave: async () => true,
  };
}
