import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, useLoad, useAction, Table, Field, When, Link, JSONView, formValues, usePager, PagerNav, Secret } from './ui.js';

const base = '/console/fssp';
const pageSize = 50;
const statusNames = { 0: 'fssp.done', 1: 'fssp.running', 2: 'fssp.queued', 3: 'fssp.doneWithErrors' };

export function FSSPPage() {
  const bank = useLoad(() => api('GET', 'fssp/bank'), []);
  return html`<div class="page">
    <h1>${t('fssp.title')}</h1>
    <${ErrorNote} error=${bank.error} />
    ${bank.data && html`<p>${t('fssp.bank', bank.data.proceedings)}</p>`}
    <${Tokens} />
    <${Tasks} />
  </div>`;
}

function limitsInput(v) {
  const limits = {};
  for (const k of ['singlePerHour', 'singlePerDay', 'groupPerDay']) if (v[k] !== '') limits[k] = Number(v[k]);
  return { name: v.name, limits };
}

function Tokens() {
  const tokens = useLoad(() => api('GET', 'fssp/tokens'), []);
  const [usageOf, setUsageOf] = useState(null);
  const issue = useAction((v) => api('POST', 'fssp/tokens', limitsInput(v)), tokens.reload);
  const revoke = useAction((id) => api('DELETE', 'fssp/tokens/' + id), tokens.reload);
  const rows = tokens.data ? tokens.data.tokens : [];
  return html`<${Section} id="fssp-tokens" title=${t('fssp.tokens')}>
    <${ErrorNote} error=${tokens.error || issue.error || revoke.error} />
    <${Table} loading=${tokens.loading} caption=${t('fssp.tokens')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('fssp.name'), value: (r) => r.name },
      { title: t('fssp.limits'), value: (r) => `${r.limits.singlePerHour}/${t('fssp.hour')}, ${r.limits.singlePerDay}/${t('fssp.day')}, ${t('fssp.groups')} ${r.limits.groupPerDay}/${t('fssp.day')}` },
      { title: t('fssp.expires'), value: (r) => html`<${When} at=${r.expiresAt} />` },
      { title: t('fssp.revoked'), value: (r) => html`<${When} at=${r.revokedAt} />` },
      { title: '', value: (r) => html`<div class="row">
        <button type="button" onClick=${() => setUsageOf(r)}>${t('fssp.usage')}</button>
        ${!r.revokedAt && html`<button type="button" class="danger" onClick=${() => revoke.run(r.id)}>${t('fssp.revoke')}</button>`}
      </div>` },
    ]} />
    ${usageOf && html`<${Usage} token=${usageOf} />`}
    <form class="grid" onSubmit=${(e) => { e.preventDefault(); issue.run(formValues(e.target)); }}>
      <h3 class="span">${t('fssp.issue')}</h3>
      <${Field} label=${t('fssp.name')}><input name="name" required autocomplete="off" /><//>
      <${Field} label=${t('fssp.singlePerHour')}><input name="singlePerHour" type="number" min="0" placeholder="100" /><//>
      <${Field} label=${t('fssp.singlePerDay')}><input name="singlePerDay" type="number" min="0" placeholder="1000" /><//>
      <${Field} label=${t('fssp.groupPerDay')}><input name="groupPerDay" type="number" min="0" placeholder="5000" /><//>
      <div class="span"><button type="submit" disabled=${issue.busy}>${t('fssp.issue')}</button></div>
    </form>
    ${issue.result && html`<${Secret} label=${t('fssp.token')} value=${issue.result.token} />`}
  <//>`;
}

function Usage({ token }) {
  const usage = useLoad(() => api('GET', `fssp/tokens/${token.id}/usage`), [token.id]);
  return html`<div class="sub" aria-live="polite">
    <h3>${t('fssp.usageOf', token.name)}</h3>
    <${ErrorNote} error=${usage.error} />
    <${Table} loading=${usage.loading} rows=${usage.data && usage.data.windows} columns=${[
      { title: t('fssp.window'), value: (w) => `${w.class} / ${w.span}` },
      { title: t('fssp.used'), value: (w) => `${w.used} / ${w.limit}` },
      { title: t('fssp.freesAt'), value: (w) => html`<${When} at=${w.freesAt} />` },
    ]} />
  </div>`;
}

function Tasks() {
  const [filter, setFilter] = useState({});
  const pager = usePager();
  const tasks = useLoad(() => api('GET', 'fssp/tasks' + query({ ...filter, to: pager.cursor, limit: pageSize })), [filter, pager.cursor]);
  const rows = tasks.data ? tasks.data.tasks : [];
  return html`<${Section} id="fssp-tasks" title=${t('fssp.tasks')}>
    <${ErrorNote} error=${tasks.error} />
    <form class="inline" role="search" onSubmit=${(e) => { e.preventDefault(); pager.reset(); setFilter(formValues(e.target)); }}>
      <${Field} label=${t('fssp.tokenId')}><input name="tokenId" type="number" min="1" /><//>
      <${Field} label=${t('fssp.status')}><select name="status"><option value="">${t('common.all')}</option>
        ${[0, 1, 2, 3].map((s) => html`<option value=${s}>${s}: ${t(statusNames[s])}</option>`)}</select><//>
      <button type="submit">${t('common.search')}</button>
      <button type="button" onClick=${tasks.reload}>${t('common.refresh')}</button>
    </form>
    <${Table} loading=${tasks.loading} caption=${t('fssp.tasks')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: t('fssp.task'), value: (r) => html`<${Link} href=${`${base}/tasks/${r.id}`}><code>${r.id}</code><//>` },
      { title: t('fssp.tokenId'), value: (r) => r.tokenId },
      { title: t('fssp.kind'), value: (r) => (r.group ? t('fssp.group') : t('fssp.single')) },
      { title: t('fssp.status'), value: (r) => `${r.status}: ${t(statusNames[r.status])}` },
      { title: t('fssp.progress'), value: (r) => r.progress },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.createdAt} />
  <//>`;
}

export function TaskPage({ id }) {
  const task = useLoad(() => api('GET', `fssp/tasks/${encodeURIComponent(id)}`), [id]);
  const x = task.data;
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('fssp.title')}<//></p>
    <h1>${t('fssp.taskTitle', id)}</h1>
    <${ErrorNote} error=${task.error} />
    ${x && html`<dl class="facts">
        <dt>${t('fssp.status')}</dt><dd>${x.status}: ${t(statusNames[x.status])}</dd>
        <dt>${t('fssp.progress')}</dt><dd>${x.progress}</dd>
        <dt>${t('common.created')}</dt><dd><${When} at=${x.createdAt} /></dd>
        <dt>${t('fssp.finished')}</dt><dd><${When} at=${x.finishedAt} /></dd>
      </dl>
      <div class="columns">
        <div><h2>${t('fssp.requests')}</h2><${JSONView} value=${x.requests} /></div>
        <div><h2>${t('fssp.results')}</h2><${JSONView} value=${x.results} /></div>
      </div>`}
  </div>`;
}
