// Modal dialogs (native <dialog>: focus stays inside, Esc cancels): a confirmation with a
// summary, and a decision that needs a reason.
import { h } from './dom.ts';

let counter = 0;

function open(dialog: HTMLDialogElement, focus: HTMLElement): void {
  document.body.append(dialog);
  dialog.showModal();
  focus.focus();
}

/** Ask to confirm; resolves to the chosen button's value, or null when cancelled (Esc or Cancel). */
export function confirmDialog(options: {
  id: string;
  title: string;
  body: (Node | string)[];
  buttons: { value: string; label: string; primary?: boolean; danger?: boolean }[];
}): Promise<string | null> {
  return new Promise((resolve) => {
    const titleId = `dlg-title-${++counter}`;
    const buttons = options.buttons.map((b) =>
      h(
        'button',
        { type: 'button', class: b.primary ? 'primary' : b.danger ? 'danger' : undefined, dataset: { value: b.value } },
        b.label,
      ),
    );
    const cancel = h('button', { type: 'button', class: 'subtle' }, 'Cancel (Esc)');
    const dialog = h(
      'dialog',
      { id: options.id, class: 'modal', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, options.title),
      ...options.body,
      h('div', { class: 'form-buttons' }, ...buttons, cancel),
    );
    let result: string | null = null;
    for (const b of buttons)
      b.addEventListener('click', () => {
        result = b.dataset.value ?? null;
        dialog.close();
      });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    open(dialog, buttons.find((_, i) => options.buttons[i]!.primary) ?? buttons[0] ?? cancel);
  });
}

/** Ask for a reason (3–2000 characters) and a confirmation; resolves to the reason, or null when cancelled. */
export function reasonDialog(options: {
  id: string;
  title: string;
  intro: string;
  confirm: string;
  danger?: boolean;
}): Promise<string | null> {
  return new Promise((resolve) => {
    const titleId = `dlg-title-${++counter}`;
    const hintId = `dlg-hint-${counter}`;
    const reason = h('textarea', {
      id: `${options.id}-reason`,
      name: 'reason',
      rows: 3,
      required: true,
      minlength: 3,
      maxlength: 2000,
      'aria-describedby': hintId,
    });
    const confirm = h(
      'button',
      { type: 'submit', class: options.danger ? 'danger solid' : 'primary', disabled: true },
      options.confirm,
    );
    const cancel = h('button', { type: 'button', class: 'subtle' }, 'Cancel (Esc)');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: titleId }, options.title),
      h('p', {}, options.intro),
      h('label', { for: reason.id }, 'Reason (kept with the revision and in the audit log)'),
      reason,
      h('p', { class: 'muted small', id: hintId }, 'At least 3 characters. Ctrl+Enter confirms.'),
      h('div', { class: 'form-buttons' }, confirm, cancel),
    );
    const dialog = h('dialog', { id: options.id, class: 'modal', 'aria-labelledby': titleId }, form);
    let result: string | null = null;
    const valid = () => reason.value.trim().length >= 3;
    reason.addEventListener('input', () => (confirm.disabled = !valid()));
    reason.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && valid()) {
        e.preventDefault();
        form.requestSubmit(confirm);
      }
    });
    form.addEventListener('submit', (e) => {
      if (!valid()) {
        e.preventDefault();
        return;
      }
      result = reason.value.trim();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    open(dialog, reason);
  });
}
