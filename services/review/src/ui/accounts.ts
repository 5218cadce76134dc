// Local accounts (admin): the list, adding an account (or a new password), disabling one.
import { api, me } from './api.ts';
import { confirmDialog } from './dialogs.ts';
import { fmtDate, gridTable, h, message, toast } from './dom.ts';
import type { View } from './keyboard.ts';
import { ROLES } from './model.ts';

interface Account {
  username: string;
  role: string;
  disabled?: boolean;
  createdAt?: string;
}

export async function accountsView(view: HTMLElement): Promise<View> {
  const tbody = h('tbody');
  const username = h('input', { id: 'account-username', name: 'username', required: true, autocomplete: 'off' });
  const role = h('select', { id: 'account-role', name: 'role' }, ...ROLES.map((r) => h('option', { value: r }, r)));
  const password = h('input', {
    id: 'account-password',
    name: 'password',
    type: 'password',
    required: true,
    minlength: 12,
    autocomplete: 'new-password',
    'aria-describedby': 'account-password-hint',
  });
  const form = h(
    'form',
    { class: 'account-form', id: 'account-form', 'aria-labelledby': 'account-form-title' },
    h('h2', { id: 'account-form-title' }, 'Add an account or set a new password'),
    h('label', { for: 'account-username' }, 'User name'),
    username,
    h('label', { for: 'account-role' }, 'Role'),
    role,
    h('label', { for: 'account-password' }, 'Password'),
    password,
    h(
      'p',
      { class: 'muted small', id: 'account-password-hint' },
      'At least 12 characters. A new password ends the account’s sessions.',
    ),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save account')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void api('POST', '/api/users', { username: username.value.trim(), role: role.value, password: password.value })
      .then(async () => {
        toast(`Account ${username.value.trim()} saved`);
        form.reset();
        await load();
      })
      .catch((err: unknown) => toast(message(err), 'error'));
  });
  view.replaceChildren(
    h(
      'section',
      { class: 'queue accounts' },
      h('h1', {}, 'Accounts'),
      gridTable(
        'accounts-table',
        ['User', 'Role', 'Status', 'Created', h('span', { class: 'visually-hidden' }, 'Actions')],
        tbody,
        'Local accounts',
      ),
      form,
    ),
  );

  async function load(): Promise<void> {
    const { users } = await api<{ users: Account[] }>('GET', '/api/users');
    tbody.replaceChildren(
      ...users.map((u) => {
        const disable =
          !u.disabled && u.username !== me.username
            ? h('button', { type: 'button', class: 'danger small', 'aria-label': `Disable ${u.username}` }, 'Disable…')
            : null;
        disable?.addEventListener('click', () => {
          void (async () => {
            const go = await confirmDialog({
              id: 'disable-dialog',
              title: `Disable ${u.username}?`,
              body: [h('p', {}, 'The account can no longer sign in; its sessions end now.')],
              buttons: [{ value: 'disable', label: 'Disable account', danger: true }],
            });
            if (go !== 'disable') return;
            try {
              await api('POST', `/api/users/${encodeURIComponent(u.username)}/disable`);
              toast(`${u.username} disabled`);
              await load();
            } catch (err) {
              toast(message(err), 'error');
            }
          })();
        });
        return h(
          'tr',
          { dataset: { user: u.username } },
          h('td', {}, u.username),
          h('td', {}, u.role),
          h('td', {}, u.disabled ? 'disabled' : 'active'),
          h('td', {}, fmtDate(u.createdAt)),
          h('td', {}, disable),
        );
      }),
    );
  }
  await load();
  return { keys: () => false, leave: async () => true };
}
