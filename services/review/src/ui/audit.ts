// The audit log (supervisors): who did what, when, to which document.
import { api } from './api.ts';
import { gridTable, h, message, short, toast } from './dom.ts';
import type { View } from './keyboard.ts';

interface AuditEvent {
  at: string;
  actor: string;
  action: string;
  docId?: string;
  detail?: unknown;
  ip?: string;
}

export async function auditView(view: HTMLElement): Promise<View> {
  const f = {
    actor: h('input', { placeholder: 'user', id: 'audit-actor', 'aria-label': 'User' }),
    action: h('input', { placeholder: 'action (e.g. export, login)', id: 'audit-action', 'aria-label': 'Action' }),
    docId: h('input', { placeholder: 'document id', id: 'audit-doc', 'aria-label': 'Document id' }),
    from: h('input', { type: 'date', id: 'audit-from', 'aria-label': 'From' }),
    to: h('input', { type: 'date', id: 'audit-to', 'aria-label': 'To' }),
  };
  const tbody = h('tbody');
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
    ...Object.values(f),
    h('button', { type: 'submit' }, 'Search'),
  );
  view.replaceChildren(
    h(
      'section',
      { class: 'queue' },
      h('h1', {}, 'Audit log'),
      form,
      gridTable('audit-table', ['When', 'Who', 'What', 'Document', 'Detail', 'IP'], tbody, 'Audit events'),
    ),
  );
  async function load(): Promise<void> {
    const qs = new URLSearchParams();
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) qs.set(k, el.value.trim());
    try {
      const data = await api<{ events: AuditEvent[] }>('GET', `/api/audit?${qs}`);
      tbody.replaceChildren(
        ...data.events.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, e.at.replace('T', ' ').slice(0, 19)),
            h('td', {}, e.actor),
            h('td', {}, e.action),
            h('td', {}, e.docId ? h('a', { href: `/records/${e.docId}`, 'data-nav': true, class: 'mono' }, short(e.docId)) : ''),
            h('td', { class: 'mono small' }, e.detail ? JSON.stringify(e.detail) : ''),
            h('td', {}, e.ip ?? ''),
          ),
        ),
      );
    } catch (err) {
      toast(message(err), 'error');
    }
  }
  await load();
  return { keys: () => false, leave: async () => true };
}
