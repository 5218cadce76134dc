// The form that edits (or adds) an item: its fields, a code picker over the shipped
// vocabularies, the negation flag and marking the evidence on the page. The display follows
// the edited fields until the clerk types one of their own.
import type { BBox, Code, Item } from '@intake/core';
import { api } from './api.ts';
import { h, message } from './dom.ts';
import {
  CODE_SYSTEMS,
  DATE_FIELDS,
  isPartialDate,
  KIND_FIELDS,
  PICKER_VOCAB,
  rebuildDisplay,
  SCREENING_TYPES,
  systemName,
} from './model.ts';

type Fields = Record<string, unknown>;

export interface Concept {
  system: string;
  code: string;
  display: string;
  kind?: string;
}

export interface ItemFormHooks {
  /** Start marking a box on the page; the callback gets it. */
  mark(callback: (page: number, bbox: BBox) => void): void;
  stopMarking(): void;
  /** The meaning of a code already known to the record. */
  meaning(code: Code | undefined): string | undefined;
  remember(concept: Concept): void;
}

let formCounter = 0;

/**
 * `follow`: the display follows the edited fields (an extracted item's display names its
 * values); a new item's display is the clerk's (or the words selected on the page).
 */
export function itemForm(item: Item, hooks: ItemFormHooks, onDone: (next: Item | null) => void, follow = true): HTMLFormElement {
  const n = ++formCounter;
  const fields = ['display', ...KIND_FIELDS[item.kind]];
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  const [sysUri, sysName] = CODE_SYSTEMS[item.kind];
  const code = item.codes?.[0];
  const values = item as unknown as Fields;
  const form = h('form', { class: 'edit-form', 'aria-label': `Edit ${item.kind}` });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  for (const f of fields) {
    const id = `f${n}-${f}`;
    const input =
      f === 'type'
        ? h(
            'select',
            { name: f, id },
            SCREENING_TYPES.map((t) => h('option', { value: t, selected: values.type === t }, t)),
          )
        : h('input', {
            name: f,
            id,
            value: typeof values[f] === 'string' ? values[f] : '',
            placeholder: DATE_FIELDS.has(f) ? 'YYYY, YYYY-MM or YYYY-MM-DD' : '',
            autocomplete: 'off',
          });
    inputs[f] = input;
    form.append(h('label', { for: id }, f), input);
  }

  // The display follows the fields until the clerk edits it.
  const display = inputs.display as HTMLInputElement;
  let displayTyped = !follow;
  display.addEventListener('input', () => (displayTyped = true));
  const current = (): Fields => Object.fromEntries(fields.map((f) => [f, inputs[f]!.value.trim()]));
  for (const f of fields.slice(1))
    inputs[f]!.addEventListener('input', () => {
      if (!displayTyped && item.display) display.value = rebuildDisplay(item, current());
    });

  // Code: typed, or picked from the shipped vocabulary (RxNorm, CVX, LOINC) by name or code.
  const vocab = PICKER_VOCAB[item.kind];
  let picked: Code | undefined = code;
  const codeId = `f${n}-code`;
  const listId = `f${n}-codes`;
  const meaningId = `f${n}-meaning`;
  const codeInput = h('input', {
    name: 'code',
    id: codeId,
    value: code?.code ?? '',
    autocomplete: 'off',
    'aria-describedby': meaningId,
    ...(vocab
      ? {
          role: 'combobox',
          'aria-autocomplete': 'list',
          'aria-expanded': 'false',
          'aria-controls': listId,
          placeholder: 'code or name',
        }
      : {}),
  });
  const meaning = h('span', { class: 'code-meaning', id: meaningId, 'aria-live': 'polite' }, hooks.meaning(code) ?? '');
  const list = h('ul', { class: 'code-options', id: listId, role: 'listbox', hidden: true, 'aria-label': `${sysName} codes` });
  let options: Concept[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  const closeList = () => {
    list.hidden = true;
    codeInput.setAttribute('aria-expanded', 'false');
    codeInput.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i: number) => {
    active = Math.max(0, Math.min(options.length - 1, i));
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', k === active ? 'true' : 'false'));
    const li = list.children[active];
    if (li) {
      codeInput.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  };
  const choose = (c: Concept) => {
    picked = { system: c.system, code: c.code, display: c.display };
    codeInput.value = c.code;
    meaning.textContent = c.display;
    hooks.remember(c);
    closeList();
    codeInput.focus();
  };
  async function search(q: string): Promise<void> {
    const mine = ++seq;
    try {
      const out = await api<{ results: Concept[] }>('POST', '/api/vocab/search', { vocabulary: vocab, q, limit: 15 });
      if (mine !== seq) return;
      options = out.results;
      list.replaceChildren(
        ...options.map((c, i) =>
          h(
            'li',
            {
              role: 'option',
              id: `${listId}-${i}`,
              'aria-selected': 'false',
              onmousedown: (e: Event) => e.preventDefault(),
              onclick: () => choose(c),
            },
            h('span', { class: 'code' }, c.code),
            ' ',
            c.display,
            c.kind ? h('span', { class: 'muted small' }, ` ${c.kind}`) : null,
          ),
        ),
      );
      if (!options.length)
        list.replaceChildren(h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true' }, `No ${sysName} code found`));
      list.hidden = false;
      codeInput.setAttribute('aria-expanded', 'true');
      if (options.length) highlight(0);
    } catch (err) {
      meaning.textContent = message(err);
    }
  }
  if (vocab) {
    codeInput.addEventListener('input', () => {
      picked = undefined;
      meaning.textContent = '';
      clearTimeout(timer);
      const q = codeInput.value.trim();
      if (q.length < 2) return closeList();
      timer = setTimeout(() => void search(q), 150);
    });
    codeInput.addEventListener('keydown', (e) => {
      if (list.hidden) {
        if (e.key === 'ArrowDown' && codeInput.value.trim()) {
          e.preventDefault();
          void search(codeInput.value.trim());
        }
        return;
      }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Enter' && options[active]) {
        e.preventDefault();
        choose(options[active]!);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeList();
      }
    });
    codeInput.addEventListener('blur', () => setTimeout(closeList, 150));
  }
  const codeLabel = code && code.system !== sysUri ? systemName(code.system) : sysName;

  const markInfo = h(
    'span',
    { class: 'muted mark-info', 'aria-live': 'polite' },
    item.evidence?.bbox
      ? `marked on page ${item.evidence.page}`
      : item.evidence
        ? `page ${item.evidence.page}, no box`
        : 'no evidence box',
  );
  const markButton = h(
    'button',
    { type: 'button', class: 'mark', title: 'Drag a box around the evidence on the page' },
    'Mark on page',
  );
  markButton.addEventListener('click', () => {
    markInfo.textContent = 'drag a box on the page…';
    hooks.mark((pageNo, bbox) => {
      item.evidence = { page: pageNo, text: item.evidence?.page === pageNo ? item.evidence.text : '', bbox };
      markInfo.textContent = `marked on page ${pageNo}`;
    });
  });
  const negatedId = `f${n}-negated`;
  const negated = h('input', { type: 'checkbox', name: 'negated', id: negatedId, checked: Boolean(item.negated) });
  const error = h('p', { class: 'error', hidden: true, role: 'alert' });
  const cancel = h('button', { type: 'button' }, 'Cancel (Esc)');
  cancel.addEventListener('click', () => cancelForm());
  form.append(
    h('label', { for: codeId }, codeLabel),
    h('div', { class: 'code-field' }, codeInput, meaning, list),
    h('div', { class: 'check' }, negated, h('label', { for: negatedId }, 'negated (e.g. denies, not taking, NKDA)')),
    h('div', { class: 'mark-row' }, markButton, ' ', markInfo),
    error,
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save (Enter)'), cancel),
  );
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancelForm();
    }
  });
  function cancelForm(): void {
    hooks.stopMarking();
    onDone(null);
  }
  function save(): void {
    hooks.stopMarking();
    const next = structuredClone(item) as unknown as Fields;
    for (const f of fields) {
      const v = inputs[f]!.value.trim();
      if (v) next[f] = v;
      else delete next[f];
    }
    if (!next.display) return fail('display is required');
    for (const f of fields)
      if (DATE_FIELDS.has(f) && next[f] && !isPartialDate(String(next[f]))) return fail(`${f}: use YYYY, YYYY-MM or YYYY-MM-DD`);
    const nameField = KIND_FIELDS[item.kind][0]!;
    if (!next[nameField]) return fail(`${nameField} is required`);
    const c = codeInput.value.trim();
    const rest = (item.codes ?? []).slice(1);
    const first: Code | undefined = c
      ? picked && picked.code === c
        ? picked
        : { system: code?.system ?? sysUri, code: c }
      : undefined;
    next.codes = first ? [first, ...rest] : rest;
    next.negated = negated.checked;
    onDone(next as unknown as Item);
  }
  function fail(text: string): void {
    error.textContent = text;
    error.hidden = false;
  }
  setTimeout(() => inputs[fields[1]!]?.focus(), 0);
  return form;
}
