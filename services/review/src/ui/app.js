// The clerk UI: a small single page, no framework, no build step. DOM is built with
// textContent only (never innerHTML with data), so document text cannot inject markup.

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const userMeta = document.querySelector('meta[name="user"]');
const me = { username: userMeta.content, role: userMeta.dataset.role };
const isSupervisor = me.role === 'supervisor' || me.role === 'admin';
const view = document.getElementById('view');

// ---------- helpers ----------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A data grid: the queue, quarantine and audit views share its markup and styles. */
function gridTable(id, headings, tbody) {
  return h(
    'table',
    { class: 'grid', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((t) => h('th', {}, t)),
      ),
    ),
    tbody,
  );
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: {
      'x-csrf-token': csrf,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      accept: 'application/json',
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
    throw new ApiError(401, { error: 'signed out' });
  }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { error: data });
  return data;
}

let toastTimer;
function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.className = ''), kind === 'error' ? 6000 : 2500);
}

const STATES = [
  ['all', 'All'],
  ['pending', 'Pending'],
  ['in-review', 'In review'],
  ['needs-member-action', 'Needs member action'],
  ['approved', 'Approved'],
  ['rejected', 'Rejected'],
  ['quarantined', 'Quarantined'],
];
const stateLabel = (s) => STATES.find(([k]) => k === s)?.[1] ?? s;
const fmtDate = (iso) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
const short = (id) => id.slice(0, 12);
const typing = (e) => ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName) || e.target.isContentEditable;

// ---------- routing ----------

let current = { keys: () => false, leave: async () => true };

async function route() {
  const ok = await current.leave();
  if (!ok) return false;
  current = { keys: () => false, leave: async () => true };
  const path = location.pathname;
  document
    .querySelectorAll('header nav a')
    .forEach((a) =>
      a.classList.toggle(
        'active',
        a.getAttribute('href') === path || (path.startsWith('/records/') && a.getAttribute('href') === '/'),
      ),
    );
  const m = /^\/records\/([0-9a-f]{64})$/.exec(path);
  if (m) current = await recordView(m[1]);
  else if (path === '/quarantine') current = await quarantineView();
  else if (path === '/audit' && isSupervisor) current = await auditView();
  else current = await queueView();
  return true;
}

async function navigate(path) {
  if (path === location.pathname + location.search) return;
  const before = location.href;
  history.pushState({}, '', path);
  if (!(await route())) history.replaceState({}, '', before);
}

window.addEventListener('popstate', () => void route());
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
    e.preventDefault();
    void navigate(a.getAttribute('href'));
  }
});

// ---------- keyboard ----------

const HELP = [
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

function showHelp() {
  const dlg = document.getElementById('help');
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
    h('p', {}, h('button', { onclick: () => dlg.close(), autofocus: true }, 'Close (Esc)')),
  );
  dlg.showModal();
}

document.addEventListener('keydown', (e) => {
  if (document.getElementById('help').open) return;
  if (e.key === '?' && !typing(e)) {
    e.preventDefault();
    showHelp();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (current.keys(e)) e.preventDefault();
});

document.getElementById('help-button').addEventListener('click', showHelp);
document.getElementById('whoami').textContent = `${me.username} · ${me.role}`;
if (!isSupervisor) document.querySelectorAll('.supervisor-only').forEach((el) => el.remove());
document.getElementById('logout').addEventListener('click', async () => {
  if (!(await current.leave())) return;
  await api('POST', '/api/logout').catch(() => {});
  location.href = '/login';
});

// ---------- queue ----------

const queueState = { state: 'pending', q: '', from: '', to: '', channel: '', selected: 0 };

function rememberQueue(ids) {
  sessionStorage.setItem('queue', JSON.stringify(ids));
}
function nextInQueue(docId) {
  const ids = JSON.parse(sessionStorage.getItem('queue') ?? '[]');
  const i = ids.indexOf(docId);
  return i >= 0 ? ids[i + 1] : ids[0];
}

async function queueView() {
  const params = new URLSearchParams(location.search);
  // The search text is never in the URL (it can be a name): it stays in this module's state.
  for (const k of ['state', 'from', 'to', 'channel']) if (params.has(k)) queueState[k] = params.get(k);
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const search = h('input', {
    type: 'search',
    id: 'queue-search',
    placeholder: 'Member id or name, document id  ( / )',
    value: queueState.q,
  });
  const from = h('input', { type: 'date', id: 'queue-from', value: queueState.from, title: 'Received from' });
  const to = h('input', { type: 'date', id: 'queue-to', value: queueState.to, title: 'Received to' });
  const channel = h(
    'select',
    { id: 'queue-channel' },
    h('option', { value: '' }, 'Any channel'),
    ['fax', 'email', 'upload', 'cli'].map((c) => h('option', { value: c, selected: queueState.channel === c }, c)),
  );
  const tbody = h('tbody');
  const summary = h('p', { class: 'muted' });
  let docs = [];

  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
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
      gridTable('queue-table', ['Received', 'Channel', 'Pages', 'Items', 'State', 'Member', 'Document', 'Claimed by'], tbody),
    ),
  );

  function select(i) {
    queueState.selected = Math.max(0, Math.min(docs.length - 1, i));
    [...tbody.children].forEach((tr, n) => tr.classList.toggle('selected', n === queueState.selected));
    tbody.children[queueState.selected]?.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    Object.assign(queueState, { q: search.value.trim(), from: from.value, to: to.value, channel: channel.value });
    const qs = new URLSearchParams();
    for (const k of ['state', 'from', 'to', 'channel']) if (queueState[k]) qs.set(k, queueState[k]);
    history.replaceState({}, '', `/?${qs}`);
    const filters = Object.fromEntries(qs);
    const data = queueState.q
      ? await api('POST', '/api/documents/search', { ...filters, q: queueState.q })
      : await api('GET', `/api/documents?${qs}`);
    docs = data.documents;
    rememberQueue(docs.filter((d) => d.stage !== 'quarantined').map((d) => d.docId));
    const total = Object.entries(data.counts).reduce((a, [k, n]) => (k === 'closed' ? a : a + n), 0);
    tabs.replaceChildren(
      ...STATES.map(([key, label], n) =>
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
          label,
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
          { dataset: { doc: d.docId }, onclick: () => select(i), ondblclick: () => void navigate(`/records/${d.docId}`) },
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
    keys(e) {
      if (typing(e)) {
        if (e.key === 'Escape') {
          e.target.blur();
          return true;
        }
        return false;
      }
      if (e.key === 'j') return (select(queueState.selected + 1), true);
      if (e.key === 'k') return (select(queueState.selected - 1), true);
      if (e.key === '/') return (search.focus(), true);
      if ((e.key === 'Enter' || e.key === 'o') && docs[queueState.selected])
        return (void navigate(`/records/${docs[queueState.selected].docId}`), true);
      if (/^[1-7]$/.test(e.key)) {
        queueState.state = STATES[Number(e.key) - 1][0];
        queueState.selected = 0;
        void load();
        return true;
      }
      return false;
    },
    leave: async () => true,
  };
}

// ---------- record ----------

const KIND_FIELDS = {
  medication: ['name', 'strength', 'dose', 'route', 'frequency', 'date', 'status'],
  allergy: ['substance', 'reaction', 'severity'],
  immunization: ['vaccine', 'date', 'lot'],
  screening: ['type', 'date', 'result'],
  condition: ['name', 'onset', 'status'],
  surgery: ['name', 'date'],
  provider: ['name', 'organization', 'role', 'phone', 'fax', 'address'],
};
const CODE_SYSTEMS = {
  medication: ['http://www.nlm.nih.gov/research/umls/rxnorm', 'RxNorm'],
  allergy: ['http://www.nlm.nih.gov/research/umls/rxnorm', 'RxNorm'],
  immunization: ['http://hl7.org/fhir/sid/cvx', 'CVX'],
  screening: ['http://loinc.org', 'LOINC'],
  condition: ['http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM'],
  surgery: ['http://snomed.info/sct', 'SNOMED CT'],
  provider: ['http://hl7.org/fhir/sid/us-npi', 'NPI'],
};
const SCREENING_TYPES = [
  'colonoscopy',
  'sigmoidoscopy',
  'fecal-occult-blood',
  'fecal-dna',
  'mammogram',
  'cervical-cytology',
  'hpv-test',
  'psa',
  'lung-ct',
  'bone-density',
  'skin-exam',
  'other',
];
const DATE_FIELDS = new Set(['date', 'onset']);
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const systemName = (uri) => Object.values(CODE_SYSTEMS).find(([u]) => u === uri)?.[1] ?? uri;

function itemSummary(item) {
  const parts = KIND_FIELDS[item.kind]
    .filter((f) => item[f] && f !== 'name')
    .map((f) => (DATE_FIELDS.has(f) ? `${f} ${item[f]}` : item[f]));
  return parts.join(' · ');
}

async function recordView(docId) {
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const t0 = performance.now();
  const rec = await api('GET', `/api/documents/${docId}`);
  const finished = rec.state === 'approved' || rec.state === 'rejected';
  const s = {
    items: rec.items.map((i) => ({ ...i, item: structuredClone(i.item) })),
    selected: 0,
    memberId: rec.memberId ?? '',
    latest: rec.latestRevision,
    state: rec.state,
    dirty: false,
    editing: null,
    lease: false,
    readOnly: true,
    nextAdded: 1 + Math.max(0, ...rec.items.filter((i) => i.id.startsWith('a')).map((i) => Number(i.id.slice(1)))),
  };
  let renewTimer;

  // --- layout ---
  const pagesPane = h('div', { class: 'pages', id: 'pages', tabindex: '-1' });
  const itemsList = h('ol', { class: 'items', id: 'items' });
  const memberBox = h('section', { class: 'member', id: 'member' });
  const warningsBox = h('div', { id: 'warnings' });
  const leaseBox = h('div', { id: 'lease' });
  const actions = h('div', { class: 'actions', id: 'actions' });
  const title = h('h1', {}, `Document ${short(docId)}`);
  const stateBadge = h('span', { class: `state ${rec.state}`, id: 'record-state' }, stateLabel(rec.state));
  const meta = h(
    'p',
    { class: 'muted' },
    rec.intake
      ? `${rec.intake.channel} · received ${fmtDate(rec.intake.receivedAt)} · ${rec.pages.length} page${rec.pages.length === 1 ? '' : 's'} · `
      : '',
    rec.intake?.fileName ?? '',
    rec.receipts.length > 1 ? ` · received ${rec.receipts.length} times` : '',
  );
  const revisionList = rec.revisions.length
    ? h(
        'details',
        { class: 'revisions', id: 'revisions' },
        h('summary', {}, `${rec.revisions.length} revision${rec.revisions.length === 1 ? '' : 's'} (kept, never overwritten)`),
        h(
          'ol',
          {},
          ...rec.revisions.map((r) =>
            h('li', {}, `r${r.revision} · ${stateLabel(r.state)} · ${r.by} · ${fmtDate(r.at)}`, r.note ? ` · ${r.note}` : ''),
          ),
        ),
      )
    : null;
  const side = h(
    'aside',
    { class: 'side' },
    h('div', { class: 'record-head' }, title, stateBadge),
    meta,
    revisionList,
    leaseBox,
    warningsBox,
    memberBox,
    h(
      'div',
      { class: 'items-head' },
      h('h2', {}, 'Items'),
      h('button', { type: 'button', id: 'add-item', onclick: () => addItem() }, '+ Add missed item (i)'),
    ),
    itemsList,
    actions,
  );
  view.replaceChildren(h('section', { class: 'record' }, pagesPane, side));

  // --- pages: sized from the manifest so layout is right before any image loads; images lazy ---
  const boxesByItem = new Map();
  const pageEls = new Map();
  const frag = document.createDocumentFragment();
  for (const p of rec.pages) {
    const page = h('figure', { class: 'page', id: `page-${p.page}`, dataset: { page: p.page } });
    if (p.image && p.width > 0 && p.height > 0) {
      page.style.aspectRatio = `${p.width} / ${p.height}`;
      page.append(
        h('img', {
          src: `/api/documents/${docId}/pages/${p.page}/image`,
          loading: 'lazy',
          decoding: 'async',
          alt: `Page ${p.page}`,
          draggable: 'false',
        }),
      );
    } else {
      page.classList.add('no-image');
      page.append(h('p', { class: 'muted' }, `Page ${p.page}: no image (${p.method})`));
    }
    page.append(h('figcaption', {}, `${p.page} / ${rec.pages.length}`));
    pageEls.set(p.page, { el: page, info: p });
    frag.append(page);
  }
  if (rec.pages.length === 0)
    frag.append(
      h(
        'p',
        { class: 'muted' },
        rec.stage === 'quarantined' ? `Quarantined: ${rec.quarantineReason ?? ''}` : 'No pages read yet.',
      ),
    );
  pagesPane.append(frag);

  // Marking evidence: the next drag on a page becomes the item's box, in page pixels.
  let onMarked = null;
  let drag = null;
  function startMarking(callback) {
    onMarked = callback;
    pagesPane.classList.add('marking');
  }
  pagesPane.addEventListener('mousedown', (e) => {
    const pageEl = onMarked && e.target.closest('.page');
    if (!pageEl || !pageEls.get(Number(pageEl.dataset.page))?.info.width) return;
    e.preventDefault();
    const el = h('div', { class: 'box drawing' });
    pageEl.append(el);
    drag = { pageEl, rect: pageEl.getBoundingClientRect(), x: e.clientX, y: e.clientY, el };
  });
  const dragBox = (e) => {
    const { rect, x, y } = drag;
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    const x0 = clamp(Math.min(x, e.clientX), rect.left, rect.right) - rect.left;
    const x1 = clamp(Math.max(x, e.clientX), rect.left, rect.right) - rect.left;
    const y0 = clamp(Math.min(y, e.clientY), rect.top, rect.bottom) - rect.top;
    const y1 = clamp(Math.max(y, e.clientY), rect.top, rect.bottom) - rect.top;
    return { x0, x1, y0, y1, w: rect.width, h: rect.height };
  };
  pagesPane.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const b = dragBox(e);
    Object.assign(drag.el.style, {
      left: `${(b.x0 / b.w) * 100}%`,
      top: `${(b.y0 / b.h) * 100}%`,
      width: `${((b.x1 - b.x0) / b.w) * 100}%`,
      height: `${((b.y1 - b.y0) / b.h) * 100}%`,
    });
  });
  pagesPane.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const b = dragBox(e);
    const pageNo = Number(drag.pageEl.dataset.page);
    const { width, height } = pageEls.get(pageNo).info;
    drag.el.remove();
    drag = null;
    if (b.x1 - b.x0 < 4 || b.y1 - b.y0 < 4) return;
    const px = (v, size, full) => Math.round((v / size) * full);
    const bbox = [px(b.x0, b.w, width), px(b.y0, b.h, height), px(b.x1, b.w, width), px(b.y1, b.h, height)];
    pagesPane.classList.remove('marking');
    const done = onMarked;
    onMarked = null;
    done?.(pageNo, bbox);
  });

  function drawBoxes() {
    pagesPane.querySelectorAll('.box').forEach((b) => b.remove());
    boxesByItem.clear();
    const byKey = new Map();
    s.items.forEach((ri) => {
      const ev = ri.item.evidence;
      const page = ev && pageEls.get(ev.page);
      if (!ev?.bbox || !page || !page.info.width) return;
      const key = `${ev.page}:${ev.bbox.join(',')}`;
      let box = byKey.get(key);
      if (!box) {
        const [x0, y0, x1, y1] = ev.bbox;
        const { width: w, height: hh } = page.info;
        // Percentages of the page: the box scales with the displayed image, whatever its size.
        box = h('div', {
          class: 'box',
          dataset: { items: '' },
          style: {
            left: `${(x0 / w) * 100}%`,
            top: `${(y0 / hh) * 100}%`,
            width: `${((x1 - x0) / w) * 100}%`,
            height: `${((y1 - y0) / hh) * 100}%`,
          },
          title: 'Show the items from this box',
          onclick: (e) => {
            e.stopPropagation();
            selectBox(box);
          },
        });
        byKey.set(key, box);
        page.el.append(box);
      }
      box.dataset.items = box.dataset.items ? `${box.dataset.items} ${ri.id}` : ri.id;
      if (ri.decision === 'rejected') box.classList.add('rejected');
      if (ri.decision === 'added') box.classList.add('added');
      boxesByItem.set(ri.id, box);
    });
  }

  function selectBox(box) {
    const ids = box.dataset.items.split(' ');
    const first = s.items.findIndex((i) => ids.includes(i.id));
    itemsList.querySelectorAll('li').forEach((li) => li.classList.toggle('from-box', ids.includes(li.dataset.id)));
    if (first >= 0) select(first, { scrollPage: false });
  }

  // --- items ---
  function renderItems() {
    itemsList.replaceChildren(
      ...s.items.map((ri, n) => {
        const it = ri.item;
        const code = it.codes?.[0];
        const li = h(
          'li',
          { class: `item ${ri.decision}`, dataset: { id: ri.id, kind: it.kind }, onclick: () => select(n) },
          h(
            'div',
            { class: 'item-line' },
            h('span', { class: `kind ${it.kind}` }, it.kind),
            h('span', { class: 'display' }, it.negated ? `NOT: ${it.display}` : it.display),
            h('span', { class: `decision ${ri.decision}` }, ri.decision),
          ),
          h(
            'div',
            { class: 'item-detail' },
            itemSummary(it),
            code ? h('span', { class: 'code' }, `${systemName(code.system)} ${code.code}`) : null,
            it.evidence ? h('span', { class: 'page-ref' }, `p.${it.evidence.page}`) : null,
            typeof it.confidence === 'number' && ri.decision === 'pending'
              ? h('span', { class: it.confidence < 0.6 ? 'conf low' : 'conf' }, `${Math.round(it.confidence * 100)}%`)
              : null,
          ),
          !s.readOnly
            ? h(
                'div',
                { class: 'item-buttons' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'accept',
                    title: 'Accept (a)',
                    onclick: (e) => {
                      e.stopPropagation();
                      select(n);
                      decide('accepted');
                    },
                  },
                  'Accept',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'edit',
                    title: 'Edit (e)',
                    onclick: (e) => {
                      e.stopPropagation();
                      select(n);
                      edit();
                    },
                  },
                  'Edit',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'reject',
                    title: 'Reject (r)',
                    onclick: (e) => {
                      e.stopPropagation();
                      select(n);
                      decide('rejected');
                    },
                  },
                  'Reject',
                ),
              )
            : null,
        );
        return li;
      }),
    );
    if (s.items.length === 0)
      itemsList.append(h('li', { class: 'muted' }, rec.extracted ? 'No items were extracted.' : 'Not extracted yet.'));
    drawBoxes();
    select(s.selected, { scrollPage: false, scrollList: false });
  }

  function select(n, { scrollPage = true, scrollList = true } = {}) {
    if (s.items.length === 0) return;
    s.selected = Math.max(0, Math.min(s.items.length - 1, n));
    const ri = s.items[s.selected];
    itemsList.querySelectorAll('li.item').forEach((li, i) => li.classList.toggle('selected', i === s.selected));
    pagesPane.querySelectorAll('.box.active').forEach((b) => b.classList.remove('active'));
    const box = boxesByItem.get(ri.id);
    if (box) box.classList.add('active');
    if (scrollList) itemsList.children[s.selected]?.scrollIntoView({ block: 'nearest' });
    if (scrollPage) {
      if (box) box.scrollIntoView({ block: 'center', inline: 'nearest' });
      else if (ri.item.evidence) pageEls.get(ri.item.evidence.page)?.el.scrollIntoView({ block: 'start' });
    }
  }

  function markDirty() {
    s.dirty = true;
    renderActions();
  }

  function decide(decision) {
    if (s.readOnly || !s.items.length) return;
    const ri = s.items[s.selected];
    if (decision === 'accepted' && ri.id.startsWith('a')) decision = 'added';
    if (decision === 'pending' && ri.id.startsWith('a')) decision = 'added';
    if (decision === 'accepted' && ri.decision === 'edited') decision = 'edited';
    if (decision === 'pending' && ri.original) {
      // Undo also undoes an edit: back to the item as extracted.
      ri.item = structuredClone(ri.original);
      delete ri.original;
    }
    ri.decision = decision;
    markDirty();
    renderItems();
    if (decision !== 'pending') select(s.selected + 1);
  }

  function acceptAll() {
    if (s.readOnly) return;
    let n = 0;
    for (const ri of s.items)
      if (ri.decision === 'pending') {
        ri.decision = 'accepted';
        n++;
      }
    if (n) {
      markDirty();
      renderItems();
      toast(`Accepted ${n} item${n === 1 ? '' : 's'}`);
    }
  }

  function itemForm(item, onDone) {
    const fields = ['display', ...KIND_FIELDS[item.kind]];
    const inputs = {};
    const [sysUri, sysName] = CODE_SYSTEMS[item.kind];
    const code = item.codes?.[0];
    const form = h('form', {
      class: 'edit-form',
      onsubmit: (e) => {
        e.preventDefault();
        save();
      },
    });
    for (const f of fields) {
      let input;
      if (f === 'type')
        input = h(
          'select',
          { name: f },
          SCREENING_TYPES.map((t) => h('option', { value: t, selected: item.type === t }, t)),
        );
      else
        input = h('input', {
          name: f,
          value: item[f] ?? '',
          placeholder: DATE_FIELDS.has(f) ? 'YYYY, YYYY-MM or YYYY-MM-DD' : '',
          autocomplete: 'off',
        });
      inputs[f] = input;
      form.append(h('label', {}, h('span', {}, f), input));
    }
    const codeInput = h('input', { name: 'code', value: code?.code ?? '', autocomplete: 'off' });
    const markInfo = h(
      'span',
      { class: 'muted mark-info' },
      item.evidence?.bbox
        ? `marked on page ${item.evidence.page}`
        : item.evidence
          ? `page ${item.evidence.page}, no box`
          : 'no evidence box',
    );
    const markButton = h(
      'button',
      {
        type: 'button',
        class: 'mark',
        title: 'Drag a box around the evidence on the page',
        onclick: () => {
          markInfo.textContent = 'drag a box on the page…';
          startMarking((pageNo, bbox) => {
            item.evidence = { page: pageNo, text: item.evidence?.page === pageNo ? item.evidence.text : '', bbox };
            markInfo.textContent = `marked on page ${pageNo}`;
          });
        },
      },
      'Mark on page',
    );
    const negated = h('input', { type: 'checkbox', name: 'negated', checked: Boolean(item.negated) });
    const error = h('p', { class: 'error', hidden: true });
    form.append(
      h('label', {}, h('span', {}, code && code.system !== sysUri ? systemName(code.system) : sysName), codeInput),
      h('label', { class: 'check' }, negated, h('span', {}, 'negated (e.g. denies, not taking, NKDA)')),
      h('div', { class: 'mark-row' }, markButton, ' ', markInfo),
      error,
      h(
        'div',
        { class: 'form-buttons' },
        h('button', { type: 'submit', class: 'primary' }, 'Save (Enter)'),
        h('button', { type: 'button', onclick: () => cancelForm() }, 'Cancel (Esc)'),
      ),
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        cancelForm();
      }
    });
    function cancelForm() {
      onMarked = null;
      pagesPane.classList.remove('marking');
      onDone(null);
    }
    function save() {
      onMarked = null;
      pagesPane.classList.remove('marking');
      const next = structuredClone(item);
      for (const f of fields) {
        const v = inputs[f].value.trim();
        if (v) next[f] = v;
        else delete next[f];
      }
      if (!next.display) return fail('display is required');
      for (const f of fields)
        if (DATE_FIELDS.has(f) && next[f] && !PARTIAL_DATE.test(next[f])) return fail(`${f}: use YYYY, YYYY-MM or YYYY-MM-DD`);
      const nameField = KIND_FIELDS[item.kind][0];
      if (!next[nameField]) return fail(`${nameField} is required`);
      const c = codeInput.value.trim();
      const rest = (item.codes ?? []).slice(1);
      next.codes = c ? [{ system: code?.system ?? sysUri, code: c }, ...rest] : rest;
      next.negated = negated.checked;
      onDone(next);
    }
    function fail(message) {
      error.textContent = message;
      error.hidden = false;
    }
    setTimeout(() => inputs[fields[1]]?.focus(), 0);
    return form;
  }

  function edit() {
    if (s.readOnly || !s.items.length || s.editing) return;
    const n = s.selected;
    const ri = s.items[n];
    const li = itemsList.children[n];
    s.editing = ri.id;
    const form = itemForm(ri.item, (next) => {
      s.editing = null;
      if (next) {
        const base = ri.original ?? ri.item;
        if (JSON.stringify(next) !== JSON.stringify(base)) {
          if (ri.id.startsWith('x') && !ri.original) ri.original = ri.item;
          ri.item = next;
          ri.decision = ri.id.startsWith('a') ? 'added' : 'edited';
        } else if (ri.id.startsWith('x')) {
          ri.item = next;
          delete ri.original;
          ri.decision = 'accepted';
        }
        markDirty();
      }
      renderItems();
      select(n);
      itemsList.focus?.();
    });
    li.append(form);
    form.scrollIntoView({ block: 'nearest' });
  }

  function addItem() {
    if (s.readOnly || s.editing) return;
    const kinds = Object.keys(KIND_FIELDS);
    const visible = [...pageEls.values()].find(
      ({ el }) => el.getBoundingClientRect().bottom > pagesPane.getBoundingClientRect().top + 40,
    );
    const kindSelect = h(
      'select',
      { name: 'kind' },
      kinds.map((k) => h('option', { value: k }, k)),
    );
    const li = h('li', { class: 'item added adding' }, h('label', {}, 'Kind of item ', kindSelect));
    itemsList.append(li);
    s.editing = 'new';
    const mount = () => {
      li.querySelector('form')?.remove();
      const kind = kindSelect.value;
      const blank = {
        kind,
        display: '',
        codes: [],
        negated: false,
        confidence: 1,
        ...(kind === 'screening' ? { type: 'other' } : {}),
        ...(visible ? { evidence: { page: visible.info.page, text: '' } } : {}),
      };
      li.append(
        itemForm(blank, (next) => {
          s.editing = null;
          if (next) {
            s.items.push({ id: `a${s.nextAdded++}`, decision: 'added', item: next });
            s.selected = s.items.length - 1;
            markDirty();
          }
          renderItems();
        }),
      );
    };
    kindSelect.addEventListener('change', mount);
    mount();
    kindSelect.focus();
  }

  // --- member ---
  function renderMember() {
    const m = rec.match;
    const p = rec.patient ?? {};
    const HINT_LABELS = { senderAddress: 'e-mail', senderName: 'name', faxFrom: 'fax', mrn: 'MRN', subject: 'subject' };
    const hints = [
      ...new Set(
        rec.receipts.flatMap((r) =>
          Object.entries(r.hints ?? {})
            .filter(([k]) => HINT_LABELS[k])
            .map(([k, v]) => `${HINT_LABELS[k]} ${v}`),
        ),
      ),
    ];
    const linked = s.memberId
      ? rec.member?.memberId === s.memberId
        ? rec.member
        : m.candidates.find((c) => c.member.memberId === s.memberId)?.member
      : undefined;
    const results = h('ul', { class: 'member-results', id: 'member-results' });
    const search = h('input', {
      type: 'search',
      id: 'member-search',
      placeholder: 'Search the member roster (m)',
      autocomplete: 'off',
      disabled: s.readOnly,
    });
    search.addEventListener('keydown', async (e) => {
      if (e.key === 'Escape') {
        search.blur();
        return;
      }
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const q = search.value.trim();
      if (!q) return;
      if (rec.directory === 'none') {
        link(q, 'entered by hand');
        return;
      }
      try {
        const found = await api('POST', '/api/members/search', { q });
        results.replaceChildren(
          ...found.members.map((mm) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', onclick: () => link(mm.memberId) },
                `${mm.memberId} · ${mm.firstName} ${mm.lastName} · ${mm.birthDate ?? ''}`,
              ),
            ),
          ),
        );
        if (!found.members.length) results.replaceChildren(h('li', { class: 'muted' }, 'No member found.'));
      } catch (err) {
        toast(err.message, 'error');
      }
    });
    memberBox.replaceChildren(
      ...[
        h('h2', {}, 'Member'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Patient on document'),
          h('dd', {}, [p.name, p.birthDate && `DOB ${p.birthDate}`, p.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ') || '—'),
          h('dt', {}, 'Sender'),
          h('dd', {}, hints.join(' · ') || '—'),
          h('dt', {}, 'Linked member'),
          h(
            'dd',
            { id: 'linked-member' },
            s.memberId
              ? `${s.memberId}${linked ? ` · ${linked.firstName} ${linked.lastName} · ${linked.birthDate ?? ''}` : ''}`
              : 'not linked',
          ),
        ),
        m.suggested && m.suggested.member.memberId !== s.memberId
          ? h(
              'p',
              { class: 'suggestion' },
              `Suggested: ${m.suggested.member.memberId} · ${m.suggested.member.firstName} ${m.suggested.member.lastName} · ${m.suggested.member.birthDate ?? ''} (score ${m.suggested.score}) `,
              h(
                'button',
                { type: 'button', id: 'link-suggested', disabled: s.readOnly, onclick: () => link(m.suggested.member.memberId) },
                'Link (l)',
              ),
            )
          : null,
        search,
        results,
      ].filter(Boolean),
    );
    const warnings = [...m.warnings];
    if (s.memberId && s.memberId !== rec.memberId) {
      const cand = m.candidates.find((c) => c.member.memberId === s.memberId);
      if (cand && (cand.evidence.birthDate === 'different' || cand.evidence.name === 'different'))
        warnings.push(`Member ${s.memberId} does not match the document's patient.`);
    }
    warningsBox.replaceChildren(...warnings.map((w) => h('div', { class: 'alert', role: 'alert' }, '⚠ ', w)));
  }

  function link(memberId) {
    if (s.readOnly) return;
    s.memberId = memberId;
    markDirty();
    renderMember();
    toast(`Linked to member ${memberId}`);
  }

  // --- actions ---
  function renderActions() {
    const exportLinks =
      s.state === 'approved'
        ? [
            h(
              'a',
              { class: 'button', id: 'export-fhir', href: `/api/documents/${docId}/export/fhir`, download: '' },
              'Export FHIR',
            ),
            h('a', { class: 'button', id: 'export-csv', href: `/api/documents/${docId}/export/csv`, download: '' }, 'Export CSV'),
          ]
        : [];
    const pending = s.items.filter((i) => i.decision === 'pending').length;
    actions.replaceChildren(
      ...[
        h(
          'p',
          { class: 'muted', id: 'progress' },
          `${s.items.length - pending} of ${s.items.length} decided${s.dirty ? ' · unsaved changes' : ''}${s.latest ? ` · revision ${s.latest}` : ''}`,
        ),
        s.readOnly
          ? null
          : h(
              'div',
              { class: 'buttons' },
              h('button', { type: 'button', id: 'save', onclick: () => save('in-review') }, 'Save draft (s)'),
              h(
                'button',
                { type: 'button', id: 'approve', class: 'primary', onclick: () => save('approved') },
                'Approve (Shift+A)',
              ),
              h(
                'button',
                { type: 'button', id: 'needs-member', onclick: () => save('needs-member-action') },
                'Needs member action (Shift+M)',
              ),
              h(
                'button',
                { type: 'button', id: 'reject-record', class: 'danger', onclick: () => save('rejected') },
                'Reject record (Shift+R)',
              ),
            ),
        finished && isSupervisor && s.readOnly && s.state !== 'in-review'
          ? h('button', { type: 'button', id: 'reopen', onclick: () => reopen() }, 'Reopen (supervisor)')
          : null,
        h(
          'div',
          { class: 'buttons' },
          ...exportLinks,
          h('a', { class: 'button subtle', href: `/api/documents/${docId}/original` }, 'Original'),
        ),
      ].filter(Boolean),
    );
  }

  async function save(state, confirmMismatch = false) {
    if (s.readOnly) return;
    if (s.editing) return toast('Finish the edit first (Enter or Esc)', 'error');
    try {
      const out = await api('POST', `/api/documents/${docId}/revisions`, {
        replaces: s.latest,
        state,
        items: s.items.map(({ id, decision, item }) => ({ id, decision, item })),
        ...(s.memberId ? { memberId: s.memberId } : {}),
        ...(confirmMismatch ? { confirmMismatch: true } : {}),
      });
      s.latest = out.revision;
      s.state = out.state;
      s.dirty = false;
      stateBadge.textContent = stateLabel(out.state);
      stateBadge.className = `state ${out.state}`;
      toast(state === 'in-review' ? `Saved revision ${out.revision}` : `${stateLabel(out.state)} (revision ${out.revision})`);
      if (state !== 'in-review') {
        s.readOnly = true;
        s.lease = false;
        clearInterval(renewTimer);
        leaseBox.replaceChildren();
        renderItems();
        renderMember();
      }
      renderActions();
    } catch (err) {
      if (err.status === 409 && err.body?.conflict === 'member-mismatch') {
        if (confirm(`${err.message}.\n\nThis document may belong to someone else. Approve it for this member anyway?`))
          return save(state, true);
        return toast('Not approved: check the member link', 'error');
      }
      if (err.status === 409) {
        leaseBox.replaceChildren(
          h(
            'div',
            { class: 'alert', role: 'alert' },
            err.message,
            ' ',
            h(
              'button',
              {
                type: 'button',
                onclick: () => {
                  s.dirty = false;
                  void route();
                },
              },
              'Reload',
            ),
          ),
        );
      }
      toast(err.message, 'error');
    }
  }

  async function reopen() {
    if (!(await claim())) return;
    s.readOnly = false;
    save('in-review');
    renderItems();
    renderMember();
  }

  async function claim() {
    try {
      await api('POST', `/api/documents/${docId}/lease`);
      s.lease = true;
      clearInterval(renewTimer);
      renewTimer = setInterval(
        () => {
          api('POST', `/api/documents/${docId}/lease`).catch((err) => {
            s.lease = false;
            s.readOnly = true;
            clearInterval(renewTimer);
            leaseBox.replaceChildren(
              h('div', { class: 'alert', role: 'alert' }, `Lost the claim on this record: ${err.message}`),
            );
            renderActions();
          });
        },
        Math.max(5000, rec.lease.ttlMs / 3),
      );
      leaseBox.replaceChildren();
      return true;
    } catch (err) {
      leaseBox.replaceChildren(
        h(
          'div',
          { class: 'notice' },
          err.status === 409 ? `${err.body.holder ?? 'Another clerk'} is working on this record: read only.` : err.message,
        ),
      );
      return false;
    }
  }

  async function release() {
    clearInterval(renewTimer);
    if (s.lease) {
      s.lease = false;
      await fetch(`/api/documents/${docId}/lease`, {
        method: 'DELETE',
        headers: { 'x-csrf-token': csrf },
        keepalive: true,
      }).catch(() => {});
    }
  }

  if (rec.stage !== 'quarantined' && rec.extracted && !finished) s.readOnly = !(await claim());
  if (finished) leaseBox.replaceChildren(h('div', { class: 'notice' }, `This record is ${stateLabel(rec.state).toLowerCase()}.`));
  renderItems();
  renderMember();
  renderActions();
  select(0);
  window.addEventListener('pagehide', release, { once: true });
  document.body.dataset.recordReadyMs = String(Math.round(performance.now() - t0));

  return {
    keys(e) {
      if (typing(e)) return false;
      if (s.editing) return false;
      switch (e.key) {
        case 'j':
          select(s.selected + 1);
          return true;
        case 'k':
          select(s.selected - 1);
          return true;
        case 'a':
          decide('accepted');
          return true;
        case 'r':
          decide('rejected');
          return true;
        case 'u':
          decide('pending');
          return true;
        case 'e':
          edit();
          return true;
        case 'i':
          addItem();
          return true;
        case 'y':
          acceptAll();
          return true;
        case 'l':
          if (rec.match.suggested) link(rec.match.suggested.member.memberId);
          return true;
        case 'm':
          document.getElementById('member-search')?.focus();
          return true;
        case 's':
          void save('in-review');
          return true;
        case 'A':
          void save('approved');
          return true;
        case 'R':
          void save('rejected');
          return true;
        case 'M':
          void save('needs-member-action');
          return true;
        case 'n': {
          const next = nextInQueue(docId);
          if (next && next !== docId) void navigate(`/records/${next}`);
          else toast('No next record in the queue');
          return true;
        }
        case 'Escape':
        case 'g':
          void navigate('/');
          return true;
        default:
          return false;
      }
    },
    async leave() {
      if (s.dirty && !confirm('This record has unsaved changes. Leave without saving?')) return false;
      await release();
      return true;
    },
  };
}

// ---------- quarantine ----------

async function quarantineView() {
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
      gridTable('quarantine-table', ['When', 'Channel', 'File', 'Stage', 'Reason', 'Attempts', 'Status', ''], tbody),
    ),
  );
  async function load() {
    const data = await api('GET', `/api/quarantine?status=${statusSel.value}`);
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
              ? h('button', { type: 'button', class: 'retry', onclick: () => act(r.docId, 'retry') }, 'Retry')
              : null,
            r.status !== 'closed' && isSupervisor
              ? h('button', { type: 'button', class: 'close', onclick: () => act(r.docId, 'close') }, 'Close')
              : null,
          ),
        ),
      ),
    );
    if (!data.records.length) tbody.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'Nothing quarantined.')));
  }
  async function act(docId, what) {
    try {
      const body = what === 'close' ? { note: prompt('Why close it? (optional)') ?? undefined } : undefined;
      await api('POST', `/api/quarantine/${docId}/${what}`, body);
      toast(what === 'retry' ? 'Re-queued' : 'Closed');
      await load();
    } catch (err) {
      toast(err.message, 'error');
    }
  }
  await load();
  return { keys: () => false, leave: async () => true };
}

// ---------- audit ----------

async function auditView() {
  const f = {
    actor: h('input', { placeholder: 'user', id: 'audit-actor' }),
    action: h('input', { placeholder: 'action (e.g. export, login)', id: 'audit-action' }),
    docId: h('input', { placeholder: 'document id', id: 'audit-doc' }),
    from: h('input', { type: 'date', id: 'audit-from' }),
    to: h('input', { type: 'date', id: 'audit-to' }),
  };
  const tbody = h('tbody');
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
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
      gridTable('audit-table', ['When', 'Who', 'What', 'Document', 'Detail', 'IP'], tbody),
    ),
  );
  async function load() {
    const qs = new URLSearchParams();
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) qs.set(k, el.value.trim());
    try {
      const data = await api('GET', `/api/audit?${qs}`);
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
      toast(err.message, 'error');
    }
  }
  await load();
  return { keys: () => false, leave: async () => true };
}

void route();
