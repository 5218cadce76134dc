// The clerk UI's entry point: header, routing between the views, the keyboard dispatcher.
import { z } from 'zod';
import { api, me } from './api.ts';
import { accountsView } from './accounts.ts';
import { adminQueuesView } from './admin-queues.ts';
import { auditView } from './audit.ts';
import { h, message } from './dom.ts';
import { idleView, installKeyboard, showHelp, type View } from './keyboard.ts';
import { hasRole } from './model.ts';
import { quarantineView } from './quarantine.ts';
import { queueView } from './queue.ts';
import { nextFromQueue, recordView } from './record.ts';
import { splitView } from './split.ts';

// The strict CSP has no 'unsafe-eval': zod must not try to compile parsers with new Function.
z.config({ jitless: true });

const view = document.getElementById('view')!;
const isSupervisor = hasRole(me.role, 'supervisor');
let current: View = idleView();

async function route(): Promise<boolean> {
  if (!(await current.leave())) return false;
  current = idleView();
  const path = location.pathname;
  document.querySelectorAll<HTMLAnchorElement>('header nav a').forEach((a) => {
    const active = a.getAttribute('href') === path || (path.startsWith('/records/') && a.getAttribute('href') === '/');
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const m = /^\/records\/([0-9a-f]{64})$/.exec(path);
  try {
    if (m && new URLSearchParams(location.search).has('split')) current = await splitView(view, m[1]!, { navigate });
    else if (m) current = await recordView(view, m[1]!, { navigate, reload: () => void route(), next: nextFromQueue });
    else if (path === '/quarantine') current = await quarantineView(view);
    else if (path === '/audit' && isSupervisor) current = await auditView(view);
    else if (path === '/admin/users' && hasRole(me.role, 'admin')) current = await accountsView(view);
    else if (path === '/admin/queues' && hasRole(me.role, 'admin')) current = await adminQueuesView(view);
    else current = await queueView(view, { navigate });
  } catch (err) {
    view.replaceChildren(
      h('h1', {}, 'This page could not be shown'),
      h('p', { class: 'alert', role: 'alert' }, message(err)),
      h('p', {}, h('a', { href: '/', 'data-nav': true }, 'Back to the queue')),
    );
  }
  return true;
}

export async function navigate(path: string): Promise<void> {
  if (path === location.pathname + location.search) return;
  const before = location.href;
  history.pushState({}, '', path);
  if (!(await route())) history.replaceState({}, '', before);
}

window.addEventListener('popstate', () => void route());
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest<HTMLAnchorElement>('a[data-nav]');
  if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
    e.preventDefault();
    void navigate(a.getAttribute('href') ?? '/');
  }
});

installKeyboard(() => current);
document.getElementById('help-button')!.addEventListener('click', showHelp);
document.getElementById('whoami')!.textContent = `${me.username} · ${me.role}`;
if (!isSupervisor) document.querySelectorAll('.supervisor-only').forEach((el) => el.remove());
if (!hasRole(me.role, 'admin')) document.querySelectorAll('.admin-only').forEach((el) => el.remove());
document.getElementById('logout')!.addEventListener('click', () => {
  void (async () => {
    if (!(await current.leave())) return;
    await api('POST', '/api/logout').catch(() => undefined);
    location.href = '/login';
  })();
});

void route();
