// Keyboard: one dispatcher for the whole page, each view handing it its shortcuts, and the
// help dialog (?) listing them.
import { h, typing } from './dom.ts';

export interface View {
  /** Handle a key the page did not consume; true when it was a shortcut. */
  keys(e: KeyboardEvent): boolean;
  /** Called before navigating away; false keeps the clerk here. */
  leave(): Promise<boolean>;
}

export const idleView = (): View => ({ keys: () => false, leave: async () => true });

export const HELP: [string, [string, string][]][] = [
  [
    'Queue',
    [
      ['j / k', 'next / previous document'],
      ['Enter or o', 'open the selected document'],
      ['/', 'search'],
      ['1 – 7', 'state tabs'],
    ],
  ],
  [
    'Record',
    [
      ['j / k', 'next / previous item'],
      ['a', 'accept the item'],
      ['r', 'reject the item'],
      ['e', 'edit the item (Enter saves, Esc cancels)'],
      ['u', 'undo: back to pending'],
      ['i', 'add a missed item'],
      ['y', 'accept every pending item'],
      ['l', 'link the suggested member'],
      ['m', 'search the member roster'],
      ['s', 'save a draft revision'],
      ['Shift+A', 'approve the record'],
      ['Shift+R', 'reject the record'],
      ['Shift+M', 'needs member action'],
      ['n', 'next record in the queue'],
      ['Esc / g', 'back to the queue'],
    ],
  ],
  ['Anywhere', [['?', 'this help']]],
];

export function showHelp(): void {
  const dlg = document.getElementById('help') as HTMLDialogElement;
  dlg.replaceChildren(
    h('h2', {}, 'Keyboard shortcuts'),
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
    h('p', {}, h('button', { type: 'button', onclick: () => dlg.close(), autofocus: true }, 'Close (Esc)')),
  );
  dlg.showModal();
}

/** Send each keystroke not meant for a field or a dialog to the current view. */
export function installKeyboard(current: () => View): void {
  document.addEventListener('keydown', (e) => {
    if (document.querySelector('dialog[open]')) return;
    if (e.key === '?' && !typing(e)) {
      e.preventDefault();
      showHelp();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (current().keys(e)) e.preventDefault();
  });
}
