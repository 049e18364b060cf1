import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, useLoad, useAction, Table, Field, When, Link, formValues, usePager, PagerNav, Secret, navigate } from './ui.js';

const base = '/console/migrant-exam';
const pageSize = 50;

export function MigrantExamPage() {
  const [org, setOrg] = useState(null);
  return html`<div class="page">
    <h1>${t('me.title')}</h1>
    <${Organizations} selected=${org} select=${setOrg} />
    ${org && html`<${Areas} org=${org} />`}
    <${Reports} />
  </div>`;
}

function Organizations({ selected, select }) {
  const [q, setQ] = useState('');
  const pager = usePager();
  const orgs = useLoad(() => api('GET', 'search/migrant-exam/organizations' + query({ q, afterId: pager.cursor, limit: pageSize })), [q, pager.cursor]);
  const create = useAction((v) => api('POST', 'migrant-exam/organizations', v), orgs.reload);
  const rows = orgs.data ? orgs.data.organizations : [];
  return html`<${Section} id="me-orgs" title=${t('me.organizations')}>
    <${ErrorNote} error=${orgs.error || create.error} />
    <form class="inline" role="search" onSubmit=${(e) => { e.preventDefault(); pager.reset(); setQ(formValues(e.target).q); }}>
      <${Field} label=${t('me.searchOrgs')}><input name="q" type="search" autocomplete="off" /><//>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${Table} loading=${orgs.loading} caption=${t('me.organizations')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('me.name'), value: (r) => html`<button type="button" class="link" aria-pressed=${selected && selected.id === r.id} onClick=${() => select(r)}>${r.name}</button>` },
      { title: t('me.username'), value: (r) => r.username },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
    <form class="grid" onSubmit=${(e) => { e.preventDefault(); create.run(formValues(e.target)); }}>
      <h3 class="span">${t('me.create')}</h3>
      <${Field} label=${t('me.name')}><input name="name" required autocomplete="off" /><//>
      <${Field} label=${t('me.username')}><input name="username" required autocomplete="off" /><//>
      <div class="span"><button type="submit" disabled=${create.busy}>${t('common.create')}</button></div>
    </form>
    ${create.result && html`<${Secret} label=${t('me.credentials')} value=${`${create.result.credentials.username} / ${create.result.credentials.password} / x-api-key ${create.result.credentials.apiKey}`} />`}
  <//>`;
}

function Areas({ org }) {
  const areas = useLoad(() => api('GET', `migrant-exam/organizations/${org.id}/areas`), [org.id]);
  const grant = useAction((v) => api('POST', `migrant-exam/organizations/${org.id}/areas`, { id: Number(v.id) || 0, name: v.name }), areas.reload);
  const revoke = useAction((id) => api('DELETE', `migrant-exam/organizations/${org.id}/areas/${id}`), areas.reload);
  return html`<${Section} id="me-areas" title=${t('me.areasOf', org.name)}>
    <${ErrorNote} error=${areas.error || grant.error || revoke.error} />
    <${Table} loading=${areas.loading} rows=${areas.data && areas.data.areas} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('me.name'), value: (r) => r.name },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
      { title: '', value: (r) => html`<button type="button" onClick=${() => revoke.run(r.id)}>${t('me.revoke')}</button>` },
    ]} />
    <form class="inline" onSubmit=${(e) => { e.preventDefault(); grant.run(formValues(e.target)); }}>
      <${Field} label=${t('me.areaId')}><input name="id" type="number" min="1" /><//>
      <${Field} label=${t('me.name')}><input name="name" autocomplete="off" /><//>
      <button type="submit" disabled=${grant.busy}>${t('me.grant')}</button>
    </form>
  <//>`;
}

function Reports() {
  const [filter, setFilter] = useState({});
  const pager = usePager();
  const reports = useLoad(() => api('GET', 'migrant-exam/reports' + query({ ...filter, afterId: pager.cursor, limit: pageSize })), [filter, pager.cursor]);
  const rows = reports.data ? reports.data.reports : [];
  const apply = (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    if (v.reportId) {
      navigate(`${base}/reports/${encodeURIComponent(v.reportId)}`);
      return;
    }
    pager.reset();
    setFilter({ organizationId: v.organizationId, examinationAreaId: v.examinationAreaId });
  };
  return html`<${Section} id="me-reports" title=${t('me.reports')}>
    <${ErrorNote} error=${reports.error} />
    <form class="inline" role="search" onSubmit=${apply}>
      <${Field} label=${t('me.reportId')}><input name="reportId" inputmode="numeric" autocomplete="off" /><//>
      <${Field} label=${t('me.organizationId')}><input name="organizationId" type="number" min="1" /><//>
      <${Field} label=${t('me.areaId')}><input name="examinationAreaId" type="number" min="1" /><//>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${Table} loading=${reports.loading} caption=${t('me.reports')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => html`<${Link} href=${`${base}/reports/${r.id}`}>${r.id}<//>` },
      { title: t('me.organizationId'), value: (r) => r.organizationId },
      { title: t('me.areaId'), value: (r) => r.examinationAreaId },
      { title: t('me.period'), value: (r) => r.periodStartDate },
      { title: t('me.versions'), value: (r) => r.currentVersion },
      { title: t('common.updated'), value: (r) => html`<${When} at=${r.updatedAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  <//>`;
}

const rowText = (x) => JSON.stringify([x.identityDocumentNumber, x.examDate, x.migrationExamType, x.migrationExamStatus]);

const requestColumns = () => [
  { title: t('me.document'), value: (r) => html`<code class="hash">${r.identityDocumentNumber}</code>` },
  { title: t('me.examDate'), value: (r) => r.examDate },
  { title: t('me.examType'), value: (r) => r.migrationExamType },
  { title: t('me.examStatus'), value: (r) => r.migrationExamStatus },
];

// ReportPage shows every version of a report side by side: one column a
// version, one row a field, the fields that changed marked.
export function ReportPage({ id }) {
  const report = useLoad(() => api('GET', `migrant-exam/reports/${encodeURIComponent(id)}`), [id]);
  const r = report.data;
  const fields = r ? [...new Set(r.versions.flatMap((v) => Object.keys(v).filter((k) => k !== 'requests')))] : [];
  const show = (v) => (v === null || v === undefined ? '—' : String(v));
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('me.title')}<//></p>
    <h1>${t('me.report', id)}</h1>
    <${ErrorNote} error=${report.error} />
    ${r && html`<dl class="facts">
        <dt>${t('me.organizationId')}</dt><dd>${r.organizationId}</dd>
        <dt>${t('me.areaId')}</dt><dd>${r.examinationAreaId}</dd>
        <dt>${t('me.versions')}</dt><dd data-testid="report-versions">${r.versions.length}</dd>
      </dl>
      <div class="scroll"><table class="versions">
        <caption>${t('me.sideBySide')}</caption>
        <thead><tr><th scope="col">${t('me.field')}</th>${r.versions.map((v) => html`<th scope="col">${t('me.version', v.version)}</th>`)}</tr></thead>
        <tbody>${fields.map((f) => {
          const values = r.versions.map((v) => show(v[f]));
          const changed = values.some((x) => x !== values[0]);
          return html`<tr class=${changed ? 'changed' : ''}><th scope="row">${f}</th>${values.map((x) => html`<td>${x}</td>`)}</tr>`;
        })}</tbody>
      </table></div>
      <p class="muted">${t('me.rowsChanged')}</p>
      <div class="columns">${r.versions.map((v, i) => {
        const before = new Set(i > 0 ? r.versions[i - 1].requests.map(rowText) : []);
        return html`<div data-testid="report-version">
          <h2>${t('me.version', v.version)}: ${t('me.rows', v.requests.length)}</h2>
          <${Table} rows=${v.requests} columns=${requestColumns()} rowClass=${(x) => (i > 0 && !before.has(rowText(x)) ? 'changed' : undefined)} />
        </div>`;
      })}</div>`}
  </div>`;
}
