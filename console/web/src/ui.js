import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { t, fmtTime } from './i18n.js';

// navigate moves to another page of the console without reloading it.
export function navigate(href) {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function Link({ href, children, ...rest }) {
  const click = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${click} ...${rest}>${children}</a>`;
}

export function Section({ title, children, id }) {
  return html`<section class="card" aria-labelledby=${id}>
    <h2 id=${id}>${title}</h2>
    ${children}
  </section>`;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  const where = error.status ? ` (${error.status}${error.kind ? ' ' + error.kind : ''})` : '';
  return html`<p class="error" role="alert">${error.message}${where}</p>`;
}

export function Done({ text }) {
  if (!text) return null;
  return html`<p class="done" role="status">${text}</p>`;
}

// useLoad runs load when deps change and on reload().
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

// useAction wraps an operator call made by a button or form: busy while
// it runs, its error or its result kept to show.
export function useAction(fn, after) {
  const [state, setState] = useState({ busy: false, error: null, result: null });
  const run = async (...args) => {
    setState({ busy: true, error: null, result: null });
    try {
      const result = await fn(...args);
      setState({ busy: false, error: null, result });
      if (after) after(result);
      return result;
    } catch (error) {
      setState({ busy: false, error, result: null });
      return undefined;
    }
  };
  return { ...state, run };
}

// Table: columns are {title, value(row)}; rows keyed by key(row). While
// its rows load (loading) it says so, busy, and never that there are none:
// rows from before stay until the new ones come.
export function Table({ caption, columns, rows, rowKey, rowClass, empty, loading }) {
  if (!rows || rows.length === 0) {
    if (loading) return html`<p class="muted" aria-busy="true">${t('common.loading')}</p>`;
    return html`<p class="muted">${empty || t('common.empty')}</p>`;
  }
  return html`<div class="scroll" aria-busy=${loading ? 'true' : undefined}><table>
    ${caption && html`<caption>${caption}</caption>`}
    <thead><tr>${columns.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead>
    <tbody>
      ${rows.map((r, i) => html`<tr key=${rowKey ? rowKey(r) : i} class=${rowClass ? rowClass(r) : undefined}>${columns.map((c) => html`<td>${c.value(r)}</td>`)}</tr>`)}
    </tbody>
  </table></div>`;
}

// Pager pages by a cursor the caller keeps: back pops it, next pushes
// the last row's cursor.
export function usePager() {
  const [stack, setStack] = useState(['']);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (c) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack(['']),
  };
}

export function PagerNav({ pager, rows, limit, cursorOf }) {
  const more = rows && rows.length === limit;
  return html`<nav class="pager" aria-label=${t('common.pages')}>
    <button type="button" disabled=${pager.page <= 1} onClick=${pager.prev}>${t('common.prev')}</button>
    <span>${t('common.page', pager.page)}</span>
    <button type="button" disabled=${!more} onClick=${() => pager.next(cursorOf(rows[rows.length - 1]))}>${t('common.next')}</button>
  </nav>`;
}

export function Field({ label, children, hint }) {
  return html`<label class="field"><span>${label}</span>${children}${hint && html`<small>${hint}</small>`}</label>`;
}

export function JSONView({ value, label }) {
  return html`<pre class="json" tabindex="0" aria-label=${label || 'JSON'}>${JSON.stringify(value, null, 2)}</pre>`;
}

export function When({ at }) {
  if (!at) return html`<span class="muted">—</span>`;
  return html`<time datetime=${at}>${fmtTime(at)}</time>`;
}

// formValues reads a form's named inputs.
export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

export function Secret({ label, value }) {
  return html`<div class="secret" role="status">
    <strong>${label}</strong> <code>${value}</code>
    <p class="muted">${t('common.shownOnce')}</p>
  </div>`;
}

// useCopy puts text on the clipboard and keeps what to say of it: the
// browser may refuse the clipboard, and then the text must be shown to
// copy by hand.
export function useCopy() {
  const [said, setSaid] = useState('');
  const copy = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid(t('journal.copied'));
    } catch {
      setSaid(t('journal.copyFailed'));
    }
  };
  return [said, copy];
}

// confirmThen runs fn once the operator agrees to text: for what cannot
// be undone (a restore, a delete).
export const confirmThen = (text, fn) => () => {
  if (confirm(text)) fn();
};
