import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, query, download, operatorPrefix } from './api.js';
import { t } from './i18n.js';
import { operatorCurlOf } from './curl.js';
import { Section, ErrorNote, Done, useLoad, useAction, useCopy, confirmThen, Table, When, Link, JSONView, usePager, PagerNav } from './ui.js';

// Motivity's created reports (POST /public/api/v1/reports/create/{type}),
// through the operator API's /motivity/reports.

const base = '/console/motivity/reports';
const pageSize = 50;
const pollEvery = 1500;

const stateKey = { processing: 'rp.processing', ready: 'rp.ready', failed: 'rp.failed' };
const stateClass = { ready: 'status ok', failed: 'status bad' };
const state = (s) => html`<span class=${stateClass[s]} data-testid="report-state">${stateKey[s] ? t(stateKey[s]) : s}</span>`;
const reportPath = (id) => `motivity/reports/${encodeURIComponent(id)}`;
// fileName is the name the data route's Content-Disposition gives it.
const fileName = (r) => `motivity-report-${r.id}-${r.type}.json`;
const size = (r) => (r.state === 'ready' ? r.size : html`<span class="muted">—</span>`);

// useReloadWhile reloads load every pollEvery while building holds: a
// build ends on its own, and the page says so without being asked.
function useReloadWhile(building, load) {
  useEffect(() => {
    if (!building) return undefined;
    const timer = setTimeout(load.reload, pollEvery);
    return () => clearTimeout(timer);
  }, [building, load.data]);
}

// useReportActions downloads and deletes reports; deleted gets the record
// as it was.
function useReportActions(deleted) {
  const get = useAction((r) => download(reportPath(r.id) + '/data', fileName(r)));
  const del = useAction((r) => api('DELETE', reportPath(r.id)), deleted);
  return { get, del, error: get.error || del.error };
}

function Actions({ report: r, actions }) {
  return html`<div class="row">
    ${r.state === 'ready' && html`<button type="button" aria-label=${t('rp.download', r.id)} onClick=${() => actions.get.run(r)}>${t('mo.download')}</button>`}
    <button type="button" class="danger" aria-label=${t('rp.delete', r.id)}
      onClick=${confirmThen(t('rp.confirmDelete', r.id), () => actions.del.run(r))}>${t('common.delete')}</button>
  </div>`;
}

export function ReportsPage() {
  const pager = usePager();
  const reports = useLoad(() => api('GET', 'motivity/reports' + query({ afterId: pager.cursor, limit: pageSize })), [pager.cursor]);
  const rows = reports.data ? reports.data.reports : [];
  useReloadWhile(rows.some((r) => r.state === 'processing'), reports);
  const actions = useReportActions(reports.reload);
  return html`<div class="page">
    <p><${Link} href="/console/motivity">← ${t('mo.title')}<//></p>
    <h1>${t('rp.title')}</h1>
    <p class="muted">${t('rp.explain')}</p>
    <${ErrorNote} error=${reports.error || actions.error} />
    <${Done} text=${actions.del.result && t('rp.deleted', actions.del.result.id)} />
    <div class="row"><button type="button" onClick=${reports.reload}>${t('common.refresh')}</button></div>
    <${Table} loading=${reports.loading} caption=${t('rp.title')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => html`<${Link} href=${`${base}/${r.id}`}>${r.id}<//>` },
      { title: t('rp.type'), value: (r) => r.type },
      { title: t('rp.locale'), value: (r) => r.locale },
      { title: t('rp.state'), value: (r) => state(r.state) },
      { title: t('rp.size'), value: size },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
      { title: t('rp.finished'), value: (r) => html`<${When} at=${r.finishedAt} />` },
      { title: t('rp.expires'), value: (r) => html`<${When} at=${r.expiresAt} />` },
      { title: t('rp.error'), value: (r) => (r.error ? html`<span class="reason">${r.error}</span>` : html`<span class="muted">—</span>`) },
      { title: '', value: (r) => html`<${Actions} report=${r} actions=${actions} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  </div>`;
}

// MotivityReportPage is one report's record, its filters, and the same operator
// calls as curl commands.
export function MotivityReportPage({ id }) {
  const report = useLoad(() => api('GET', reportPath(id)), [id]);
  const [gone, setGone] = useState(null);
  const r = report.data;
  useReloadWhile(Boolean(r && r.state === 'processing' && !gone), report);
  const actions = useReportActions(setGone);
  const call = (method, path, out) => operatorCurlOf(method, operatorPrefix + reportPath(id) + path, location.origin, out);
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('rp.title')}<//></p>
    <h1>${t('rp.report', id)}</h1>
    <${ErrorNote} error=${report.error || actions.error} />
    <${Done} text=${gone && t('rp.deleted', gone.id)} />
    ${r && html`<dl class="facts">
        <dt>${t('rp.type')}</dt><dd>${r.type}</dd>
        <dt>${t('rp.locale')}</dt><dd>${r.locale}</dd>
        <dt>${t('rp.state')}</dt><dd>${state(r.state)}</dd>
        <dt>${t('rp.size')}</dt><dd>${size(r)}</dd>
        <dt>ETag</dt><dd>${r.etag ? html`<code class="hash">${r.etag}</code>` : html`<span class="muted">—</span>`}</dd>
        <dt>${t('common.created')}</dt><dd><${When} at=${r.createdAt} /></dd>
        <dt>${t('rp.finished')}</dt><dd><${When} at=${r.finishedAt} /></dd>
        <dt>${t('rp.expires')}</dt><dd><${When} at=${r.expiresAt} /></dd>
        ${r.error && html`<dt>${t('rp.error')}</dt><dd class="reason">${r.error}</dd>`}
      </dl>
      ${!gone && html`<${Actions} report=${r} actions=${actions} />`}
      <${Section} id="rp-filters" title=${t('rp.filters')}>
        ${r.filters === null ? html`<p class="muted">${t('rp.noFilters')}</p>` : html`<${JSONView} value=${r.filters} label=${t('rp.filters')} />`}
      <//>
      ${!gone && html`<${Section} id="rp-curl" title="curl">
        <p class="muted">${t('rp.curlExplain')}</p>
        <${Command} title=${t('rp.curlRecord')} command=${call('GET', '')} testid="report-curl-record" />
        ${r.state === 'ready' && html`<${Command} title=${t('rp.curlData')} command=${call('GET', '/data', fileName(r))} testid="report-curl-data" />`}
        <${Command} title=${t('rp.curlDelete')} command=${call('DELETE', '')} testid="report-curl-delete" />
      <//>`}`}
  </div>`;
}

function Command({ title, command, testid }) {
  const [copied, copy] = useCopy();
  return html`<h3>${title}</h3>
    <pre class="json" tabindex="0" data-testid=${testid}>${command}</pre>
    <div class="row">
      <button type="button" aria-label=${`${t('journal.copyCurl')}: ${title}`} onClick=${() => copy(command)}>${t('journal.copyCurl')}</button>
      <span role="status">${copied}</span>
    </div>`;
}
