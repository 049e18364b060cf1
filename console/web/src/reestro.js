import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, useLoad, useAction, Table, Field, When, Link, JSONView, formValues, usePager, PagerNav, Secret } from './ui.js';

const base = '/console/reestro';
const pageSize = 50;

export function ReestroPage() {
  const orgs = useLoad(() => api('GET', 'reestro/organizations'), []);
  const [org, setOrg] = useState(null);
  const create = useAction((v) => api('POST', 'reestro/organizations', v), orgs.reload);
  const rows = orgs.data ? orgs.data.organizations : [];
  return html`<div class="page">
    <h1>${t('re.title')}</h1>
    <${Section} id="re-orgs" title=${t('re.organizations')}>
      <${ErrorNote} error=${orgs.error || create.error} />
      <${Table} loading=${orgs.loading} caption=${t('re.organizations')} rows=${rows} rowKey=${(r) => r.id} columns=${[
        { title: 'portal.orgid', value: (r) => html`<code>${r.id}</code>` },
        { title: t('re.name'), value: (r) => html`<button type="button" class="link" aria-pressed=${org && org.id === r.id} onClick=${() => setOrg(r)}>${r.name}</button>` },
        { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
      ]} />
      <form class="inline" onSubmit=${(e) => { e.preventDefault(); create.run(formValues(e.target)); }}>
        <${Field} label=${t('re.name')}><input name="name" required autocomplete="off" /><//>
        <button type="submit" disabled=${create.busy}>${t('re.createOrg')}</button>
      </form>
    <//>
    ${org && html`<${Checks} org=${org} />`}
    <${Keys} orgs=${rows} />
  </div>`;
}

function Keys({ orgs }) {
  const keys = useLoad(() => api('GET', 'reestro/keys'), []);
  const issue = useAction((v, granted) => api('POST', 'reestro/keys', { name: v.name, organizations: granted }), keys.reload);
  const revoke = useAction((id) => api('DELETE', 'reestro/keys/' + id), keys.reload);
  const submit = (e) => {
    e.preventDefault();
    const fd = new FormData(e.target);
    issue.run({ name: fd.get('name') }, fd.getAll('organizations'));
  };
  return html`<${Section} id="re-keys" title=${t('re.keys')}>
    <${ErrorNote} error=${keys.error || issue.error || revoke.error} />
    <${Table} loading=${keys.loading} caption=${t('re.keys')} rows=${keys.data && keys.data.keys} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('re.name'), value: (r) => r.name },
      { title: t('re.grants'), value: (r) => r.organizations.map((o) => html`<code>${o}</code> `) },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
      { title: t('re.revoked'), value: (r) => html`<${When} at=${r.revokedAt} />` },
      { title: '', value: (r) => !r.revokedAt && html`<button type="button" class="danger" onClick=${() => revoke.run(r.id)}>${t('re.revoke')}</button>` },
    ]} />
    <form class="grid" onSubmit=${submit}>
      <h3 class="span">${t('re.issue')}</h3>
      <${Field} label=${t('re.name')}><input name="name" required autocomplete="off" /><//>
      <fieldset><legend>${t('re.grants')}</legend>
        ${orgs.map((o) => html`<label class="check"><input type="checkbox" name="organizations" value=${o.id} /> ${o.name}</label>`)}
      </fieldset>
      <div class="span"><button type="submit" disabled=${issue.busy}>${t('re.issue')}</button></div>
    </form>
    ${issue.result && html`<${Secret} label=${t('re.key')} value=${issue.result.key} />`}
  <//>`;
}

function Checks({ org }) {
  const [filter, setFilter] = useState({});
  const pager = usePager();
  const path = `reestro/organizations/${encodeURIComponent(org.id)}/checks`;
  const checks = useLoad(() => api('GET', path + query({ ...filter, afterId: pager.cursor, limit: pageSize })), [org.id, filter, pager.cursor]);
  const rows = checks.data ? checks.data.checks : [];
  return html`<${Section} id="re-checks" title=${t('re.checksOf', org.name)}>
    <${ErrorNote} error=${checks.error} />
    <form class="inline" role="search" onSubmit=${(e) => { e.preventDefault(); pager.reset(); setFilter(formValues(e.target)); }}>
      <${Field} label="correlationId"><input name="correlationId" autocomplete="off" /><//>
      <${Field} label="externalId"><input name="externalId" autocomplete="off" /><//>
      <${Field} label="subjectId"><input name="subjectId" autocomplete="off" /><//>
      <${Field} label=${t('re.state')}><select name="state"><option value="">${t('common.all')}</option><option>Processing</option><option>Processed</option><option>Failed</option></select><//>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${Table} loading=${checks.loading} caption=${t('re.checks')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'checkId', value: (r) => html`<${Link} href=${`${base}/organizations/${encodeURIComponent(org.id)}/checks/${r.id}`}><code>${r.id}</code><//>` },
      { title: t('re.state'), value: (r) => r.state },
      { title: 'correlationId', value: (r) => r.correlationId },
      { title: 'externalId', value: (r) => r.externalId },
      { title: t('re.regions'), value: (r) => r.regions.join(', ') },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  <//>`;
}

export function CheckPage({ org, id }) {
  const check = useLoad(() => api('GET', `reestro/organizations/${encodeURIComponent(org)}/checks/${encodeURIComponent(id)}`), [org, id]);
  const c = check.data;
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('re.title')}<//></p>
    <h1>${t('re.check', id)}</h1>
    <${ErrorNote} error=${check.error} />
    ${c && html`<dl class="facts">
        <dt>${t('re.state')}</dt><dd>${c.state}</dd>
        <dt>${t('common.created')}</dt><dd><${When} at=${c.createdAt} /></dd>
        <dt>${t('re.finished')}</dt><dd><${When} at=${c.finishedAt} /></dd>
        ${c.failure && html`<dt>${t('re.failure')}</dt><dd>${c.failure}</dd>`}
      </dl>
      <div class="columns">
        <div><h2>${t('re.subject')}</h2><${JSONView} value=${c.subject} /></div>
        <div><h2>${t('re.found')}</h2><${JSONView} value=${c.result} /></div>
      </div>`}
  </div>`;
}
