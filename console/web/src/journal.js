import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from './api.js';
import { t } from './i18n.js';
import { curlOf } from './curl.js';
import { ErrorNote, Field, When, formValues, useCopy } from './ui.js';

const apis = ['', 'migrant-exam', 'fssp', 'motivity', 'motivity-files', 'reestro'];
const pageSize = 50;
const pollEvery = 1500;
// keep bounds the list while it is live: a busy stand adds entries without
// end, and a tab left open would hold them all. Past it the oldest go, and
// "Older entries" pages back to them; the pages a person asks for are kept
// on top of it.
const keep = 500;

// The journal, live: the newest page first, then every pollEvery the
// entries after the newest one seen (an id cursor, which every node's
// entries share: ids come from the database).
export function JournalPage() {
  const [filter, setFilter] = useState({});
  const [{ entries, older }, setList] = useState({ entries: [], older: true });
  const [live, setLive] = useState(true);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  const newest = useRef(0);
  const askedFor = useRef(0);

  useEffect(() => {
    let stop = false;
    let timer;
    newest.current = 0;
    askedFor.current = 0;
    setList({ entries: [], older: true });
    setOpen(null);
    api('GET', 'journal/newest' + query({ ...filter, limit: pageSize })).then(
      (r) => {
        if (stop) return;
        setList({ entries: r.entries, older: r.entries.length === pageSize });
        newest.current = r.entries.length ? r.entries[0].id : 0;
        setError(null);
        poll();
      },
      (e) => !stop && setError(e),
    );
    async function poll() {
      if (stop) return;
      if (live) {
        try {
          const r = await api('GET', 'journal' + query({ ...filter, afterId: newest.current, limit: 200 }));
          if (!stop && r.entries.length) {
            newest.current = r.entries[r.entries.length - 1].id;
            setList((l) => {
              const all = [...r.entries.reverse(), ...l.entries];
              const max = keep + askedFor.current;
              return all.length > max ? { entries: all.slice(0, max), older: true } : { entries: all, older: l.older };
            });
          }
          if (!stop) setError(null);
        } catch (e) {
          if (!stop) setError(e);
        }
      }
      if (!stop) timer = setTimeout(poll, pollEvery);
    }
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [filter, live]);

  const loadOlder = async () => {
    const last = entries[entries.length - 1];
    // Room for the page before it comes, so that entries arriving
    // meanwhile do not push out the one it continues from.
    askedFor.current += pageSize;
    try {
      const r = await api('GET', 'journal/newest' + query({ ...filter, beforeId: last.id, limit: pageSize }));
      setList((l) => (l.entries.at(-1)?.id !== last.id ? l : { entries: [...l.entries, ...r.entries], older: r.entries.length === pageSize }));
    } catch (e) {
      setError(e);
    }
  };

  const applyFilter = (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    setFilter(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')));
  };

  return html`<div class="page">
    <h1>${t('journal.title')}</h1>
    <form class="grid filters" onSubmit=${applyFilter} aria-label=${t('journal.filters')}>
      <${Field} label="API"><select name="api">${apis.map((a) => html`<option value=${a}>${a || t('common.all')}</option>`)}</select><//>
      <${Field} label=${t('journal.route')}><input name="route" placeholder="POST /Reports/Report" autocomplete="off" /><//>
      <${Field} label=${t('journal.path')}><input name="path" placeholder="/api/v1.0/status" autocomplete="off" /><//>
      <${Field} label=${t('journal.status')}><input name="status" type="number" min="0" max="599" /><//>
      <${Field} label=${t('journal.credential')}><input name="credential" placeholder="token Демо-интегратор" autocomplete="off" /><//>
      <${Field} label=${t('journal.field')}><input name="field" placeholder="examinationAreaId" autocomplete="off" /><//>
      <${Field} label=${t('journal.value')}><input name="value" autocomplete="off" /><//>
      <div class="row span">
        <button type="submit">${t('journal.apply')}</button>
        <label class="check"><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.target.checked)} /> ${t('journal.live')}</label>
      </div>
    </form>
    <${ErrorNote} error=${error} />
    <p class="muted" aria-live="polite">${t('journal.shown', entries.length)}</p>
    <div class="scroll"><table class="journal">
      <caption class="sr-only">${t('journal.title')}</caption>
      <thead><tr>
        <th scope="col">#</th><th scope="col">${t('journal.at')}</th><th scope="col">API</th><th scope="col">${t('journal.request')}</th>
        <th scope="col">${t('journal.status')}</th><th scope="col">${t('journal.credential')}</th><th scope="col">${t('journal.took')}</th>
      </tr></thead>
      <tbody>
        ${entries.map((e) => html`<${Row} key=${e.id} entry=${e} open=${open === e.id} toggle=${() => setOpen(open === e.id ? null : e.id)} />`)}
      </tbody>
    </table></div>
    ${older && entries.length > 0 && html`<button type="button" onClick=${loadOlder}>${t('journal.older')}</button>`}
  </div>`;
}

function statusClass(s) {
  if (s === 0 || s >= 500) return 'bad';
  if (s >= 400) return 'warn';
  return 'ok';
}

function Row({ entry: e, open, toggle }) {
  return html`<tr class=${open ? 'open' : ''} data-testid="journal-entry">
      <td>${e.id}</td>
      <td><${When} at=${e.at} /></td>
      <td>${e.api}</td>
      <td><button type="button" class="link" aria-expanded=${open} onClick=${toggle}>${e.method} ${e.path}</button></td>
      <td><span class=${'status ' + statusClass(e.status)}>${e.status || t('journal.cut')}</span>${e.fault ? html` <span class="tag">${t('journal.fault', e.fault)}</span>` : ''}</td>
      <td>${e.credential || html`<span class="muted">—</span>`}</td>
      <td>${(e.durationUs / 1000).toFixed(1)} ms</td>
    </tr>
    ${open && html`<tr class="detail"><td colspan="7"><${Detail} entry=${e} /></td></tr>`}`;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Detail({ entry: e }) {
  const [copied, copy] = useCopy();
  const curl = curlOf(e, location.origin);
  return html`<div class="entry">
    <dl class="facts">
      <dt>${t('journal.requestId')}</dt><dd>${e.requestId}</dd>
      <dt>${t('journal.route')}</dt><dd>${e.route || '—'}</dd>
      ${e.query && html`<dt>${t('journal.query')}</dt><dd><code>${e.query}</code></dd>`}
      ${e.reason && html`<dt>${t('journal.reason')}</dt><dd class="reason" data-testid="journal-reason">${e.reason}</dd>`}
      ${e.fault ? html`<dt>${t('journal.faultRule')}</dt><dd>${e.fault}</dd>` : ''}
    </dl>
    <div class="row">
      <button type="button" onClick=${() => copy(curl)}>${t('journal.copyCurl')}</button>
      <span role="status">${copied}</span>
    </div>
    <details><summary>curl</summary><pre class="json" data-testid="journal-curl">${curl}</pre></details>
    <div class="columns">
      <div><h3>${t('journal.headers')}</h3><pre class="json" tabindex="0">${pretty(e.headers)}</pre>
        <h3>${t('journal.body')} (${e.bodySize} B)</h3><pre class="json" tabindex="0">${pretty(e.body) || '—'}</pre></div>
      <div><h3>${t('journal.answer')} (${e.answerSize} B)</h3><pre class="json" tabindex="0">${pretty(e.answer) || '—'}</pre></div>
    </div>
  </div>`;
}
