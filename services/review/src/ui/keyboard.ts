// Keyboard: one dispatcher for the whole page, each view handing it its shortcuts, the help
// dialog (?) listing them, and the setting that turns single-key shortcuts off (WCAG 2.1.4):
// then every shortcut needs Alt (Alt+a, Alt+Shift+A…), and nothing fires from a stray key.
import { h, typing } from './dom.ts';

export interface View {
  /**
   * Handle a shortcut the page did not consume; true when it was one. `key` is the key as
   * the clerk meant it: a letter is upper case only with Shift (Caps Lock does not count).
   */
  keys(key: string, e: KeyboardEvent): boolean;
  /** Called before navigating away; false keeps the clerk here. */
  leave(): Promise<boolean>;
}

export const idleView = (): View => ({ keys: () => false, leave: async () => true });

const SETTING = 'intake.review.singleKeyShortcuts';

export function singleKeyShortcuts(): boolean {
  return localStorage.getItem(SETTING) !== 'off';
}

export function setSingleKeyShortcuts(on: boolean): void {
  localStorage.setItem(SETTING, on ? 'on' : 'off');
  document.body.dataset.singleKeys = on ? 'on' : 'off';
}

export const HELP: [string, [string, string][]][] = [
  [
    'Queue',
    [
      ['j / k or ↓ / ↑', 'next / previous document'],
      ['Enter or o', 'open the selected document'],
      ['/', 'search'],
      ['1 – 7', 'state tabs'],
      ['v', 'saved views'],
    ],
  ],
  [
    'Record',
    [
      ['j / k or ↓ / ↑', 'next / previous item (Tab reaches the list, its buttons, then the page’s boxes)'],
      ['a', 'accept the item'],
      ['r', 'reject the item'],
      ['p', 'back to pending'],
      ['e', 'edit the item (Enter saves, Esc cancels)'],
      ['u', 'undo the last decision'],
      ['i', 'add a missed item (or select words on the page)'],
      ['y', 'accept every pending item'],
      ['l', 'link the suggested member'],
      ['m', 'search the member roster'],
      ['s', 'save a draft revision'],
      ['Shift+A', 'approve: shows the summary to confirm (Enter)'],
      ['Shift+R', 'reject the record: asks for a reason'],
      ['Shift+M', 'needs member action: asks for a reason'],
      ['n', 'next record in the queue'],
      ['Esc / g', 'back to the queue'],
    ],
  ],
  ['Anywhere', [['?', 'this help']]],
];

/** Turn a key event into the shortcut it stands for, or null when it is not one. */
export function shortcutKey(e: KeyboardEvent): string | null {
  if (e.ctrlKey || e.metaKey) return null;
  let key = e.key;
  if (e.altKey) {
    // Alt changes e.key on some layouts (Alt+a → å): read the physical key.
    const m = /^Key([A-Z])$/.exec(e.code) ?? /^Digit([0-9])$/.exec(e.code);
    if (m) key = m[1]!;
    else if (e.code === 'Slash') key = e.shiftKey ? '?' : '/';
    else if (key.length === 1) return null;
  }
  if (/^[a-z]$/i.test(key)) key = e.shiftKey ? key.toUpperCase() : key.toLowerCase();
  // A printable key alone is a single-key shortcut: only when they are on.
  if (key.length === 1 && !e.altKey && !singleKeyShortcuts()) return null;
  return key;
}

export function showHelp(): void {
  const dlg = document.getElementById('help') as HTMLDialogElement;
  const on = singleKeyShortcuts();
  const toggle = h('input', { type: 'checkbox', id: 'single-keys', checked: on });
  toggle.addEventListener('change', () => {
    setSingleKeyShortcuts(toggle.checked);
    note.textContent = toggle.checked
      ? 'Single keys are on: press a, r, j… directly.'
      : 'Single keys are off: hold Alt with each shortcut (Alt+a, Alt+Shift+A…).';
  });
  const note = h(
    'p',
    { class: 'muted', id: 'single-keys-note', 'aria-live': 'polite' },
    on
      ? 'Single keys are on: press a, r, j… directly.'
      : 'Single keys are off: hold Alt with each shortcut (Alt+a, Alt+Shift+A…).',
  );
  const close = h('button', { type: 'button', autofocus: true }, 'Close (Esc)');
  close.addEventListener('click', () => dlg.close());
  dlg.setAttribute('aria-labelledby', 'help-title');
  dlg.replaceChildren(
    h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
    h(
      'p',
      { class: 'setting' },
      toggle,
      ' ',
      h('label', { for: 'single-keys' }, 'Single-key shortcuts (turn off for speech input, or to avoid stray keys)'),
    ),
    note,
    ...HELP.map(([title, rows]) =>
      h(
        'section',
        {},
        h('h3', {}, title),
        h(
          'dl',
          {},
          rows.map(([k, d]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, d)]),
        ),
      ),
    ),
    h('p', {}, close),
  );
  dlg.showModal();
}

/** Send each keystroke not meant for a field or a dialog to the current view. */
export function installKeyboard(current: () => View): void {
  document.body.dataset.singleKeys = singleKeyShortcuts() ? 'on' : 'off';
  document.addEventListener('keydown', (e) => {
    if (document.querySelector('dialog[open]')) return;
    const key = shortcutKey(e);
    if (key === null) return;
    if (key === '?' && !typing(e)) {
      e.preventDefault();
      showHelp();
      return;
    }
    // Enter and Space on a button or link are the button's, not a shortcut.
    if ((key === 'Enter' || key === ' ') && (e.target as Element | null)?.closest('button, a, summary')) return;
    if (current().keys(key, e)) e.preventDefault();
  });
}
