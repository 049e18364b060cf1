import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query, download } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, useLoad, useAction, Table, Field, When, Link, JSONView, formValues, usePager, PagerNav } from './ui.js';

const base = '/console/motivity';
const pageSize = 50;

export function MotivityPage() {
  const platform = useLoad(() => api('GET', 'motivity/platform'), []);
  const p = platform.data;
  return html`<div class="page">
    <h1>${t('mo.title')}</h1>
    <${ErrorNote} error=${platform.error} />
    ${p && html`<dl class="facts">
      <dt>${t('mo.locales')}</dt><dd>${p.locales.join(', ')} (${p.defaultLocale})</dd>
      <dt>${t('mo.identifier')}</dt><dd>${p.identifierKind}</dd>
      <dt>${t('mo.tokenSet')}</dt><dd>${p.publicTokenSet ? t('common.yes') : t('common.no')}</dd>
      <dt>${t('mo.catalog')}</dt><dd>${p.prizeCatalogUntil || '—'}</dd>
    </dl>`}
    <p><${Link} href=${base + '/quests'}>${t('qu.title')}<//> · <${Link} href=${base + '/reports'}>${t('rp.title')}<//></p>
    <${Users} />
    <${Badges} />
    <${Files} />
    <${Ledger} />
  </div>`;
}

function Users() {
  const [q, setQ] = useState('');
  const pager = usePager();
  const users = useLoad(() => api('GET', 'search/motivity/users' + query({ q, afterId: pager.cursor, limit: pageSize })), [q, pager.cursor]);
  const put = useAction((v) => api('POST', 'motivity/users', { identifier: v.identifier, name: v.name, email: v.email || undefined }), users.reload);
  const rows = users.data ? users.data.users : [];
  return html`<${Section} id="mo-users" title=${t('mo.users')}>
    <${ErrorNote} error=${users.error || put.error} />
    <form class="inline" role="search" onSubmit=${(e) => { e.preventDefault(); pager.reset(); setQ(formValues(e.target).q); }}>
      <${Field} label=${t('mo.searchUsers')}><input name="q" type="search" autocomplete="off" /><//>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${Table} loading=${users.loading} caption=${t('mo.users')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: t('mo.identifier'), value: (r) => html`<${Link} href=${`${base}/users/${encodeURIComponent(r.identifier)}`}>${r.identifier}<//>` },
      { title: t('mo.name'), value: (r) => r.name },
      { title: t('mo.state'), value: (r) => (r.deleted ? t('mo.deleted') : r.active ? t('mo.active') : t('mo.inactive')) },
      { title: t('common.updated'), value: (r) => html`<${When} at=${r.updatedAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
    <form class="grid" onSubmit=${(e) => { e.preventDefault(); put.run(formValues(e.target)); }}>
      <h3 class="span">${t('mo.addUser')}</h3>
      <${Field} label=${t('mo.identifier')}><input name="identifier" required autocomplete="off" /><//>
      <${Field} label=${t('mo.name')}><input name="name" autocomplete="off" /><//>
      <${Field} label="Email"><input name="email" type="email" autocomplete="off" /><//>
      <div class="span"><button type="submit" disabled=${put.busy}>${t('mo.putUser')}</button></div>
    </form>
    ${put.result && html`<p role="status" class="done">${t('mo.userSaved', put.result.identifier)}</p>`}
  <//>`;
}

function badgeTitle(b) {
  const texts = b.texts || {};
  const text = texts.ru || texts.en || Object.values(texts)[0];
  return text ? text.title : '';
}

function Badges() {
  const badges = useLoad(() => api('GET', 'motivity/badges'), []);
  const [open, setOpen] = useState(null);
  return html`<${Section} id="mo-badges" title=${t('mo.badges')}>
    <${ErrorNote} error=${badges.error} />
    <${Table} loading=${badges.loading} caption=${t('mo.badges')} rows=${badges.data && badges.data.badges} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('mo.badgeTitle'), value: (r) => badgeTitle(r) },
      { title: t('mo.grades'), value: (r) => (r.grades || []).map((g) => `${g.id} (${g.grade})`).join(', ') },
      { title: t('mo.active'), value: (r) => (r.active ? t('common.yes') : t('common.no')) },
      { title: '', value: (r) => html`<button type="button" onClick=${() => setOpen(r)}>${t('mo.holders')}</button>` },
    ]} />
    ${open && html`<${Holders} badge=${open} />`}
  <//>`;
}

function Holders({ badge }) {
  const pager = usePager();
  const holders = useLoad(() => api('GET', `motivity/badges/${badge.id}/holders` + query({ afterId: pager.cursor, limit: pageSize })), [badge.id, pager.cursor]);
  const rows = holders.data ? holders.data.holders : [];
  return html`<div class="sub" aria-live="polite">
    <h3>${t('mo.holdersOf', badgeTitle(badge))}</h3>
    <${ErrorNote} error=${holders.error} />
    <${Table} loading=${holders.loading} rows=${rows} rowKey=${(r) => r.userId + '-' + r.badgeId} columns=${[
      { title: t('mo.identifier'), value: (r) => html`<${Link} href=${`${base}/users/${encodeURIComponent(r.identifier)}`}>${r.identifier}<//>` },
      { title: t('mo.badge'), value: (r) => r.badgeId },
      { title: t('mo.since'), value: (r) => html`<${When} at=${r.since} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.userId} />
  </div>`;
}

function Files() {
  const pager = usePager();
  const files = useLoad(() => api('GET', 'motivity/files' + query({ afterId: pager.cursor, limit: pageSize })), [pager.cursor]);
  const get = useAction((f) => download(`motivity/files/${f.id}/content`, f.name));
  const rows = files.data || [];
  return html`<${Section} id="mo-files" title=${t('mo.files')}>
    <${ErrorNote} error=${files.error || get.error} />
    <${Table} loading=${files.loading} caption=${t('mo.files')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('mo.fileName'), value: (r) => r.name },
      { title: t('mo.size'), value: (r) => r.size },
      { title: t('mo.type'), value: (r) => r.contentType },
      { title: t('common.created'), value: (r) => html`<${When} at=${r.createdAt} />` },
      { title: '', value: (r) => html`<button type="button" onClick=${() => get.run(r)}>${t('mo.download')}</button>` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  <//>`;
}

function Ledger({ user }) {
  const [balanceType, setBalanceType] = useState('');
  const pager = usePager();
  const ledger = useLoad(() => api('GET', 'motivity/ledger' + query({ user, balanceType, afterId: pager.cursor, limit: pageSize })), [user, balanceType, pager.cursor]);
  const rows = ledger.data ? ledger.data.entries : [];
  return html`<${Section} id="mo-ledger" title=${t('mo.ledger')}>
    <${ErrorNote} error=${ledger.error} />
    <${Field} label=${t('mo.balance')}><select value=${balanceType} onChange=${(e) => { pager.reset(); setBalanceType(e.target.value); }}>
      <option value="">${t('common.all')}</option><option>score</option><option>karma</option><option>payment</option>
    </select><//>
    <${Table} loading=${ledger.loading} caption=${t('mo.ledger')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: '#', value: (r) => r.id },
      { title: t('mo.user'), value: (r) => r.userId },
      { title: t('mo.balance'), value: (r) => r.balanceType },
      { title: t('mo.amount'), value: (r) => r.amount },
      { title: t('mo.after'), value: (r) => r.balanceAfter },
      { title: t('mo.message'), value: (r) => r.message },
      { title: t('journal.at'), value: (r) => html`<${When} at=${r.at} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  <//>`;
}

export function MotivityUserPage({ identifier }) {
  const user = useLoad(() => api('GET', `motivity/users/${encodeURIComponent(identifier)}`), [identifier]);
  const goals = useLoad(() => api('GET', `motivity/users/${encodeURIComponent(identifier)}/goals`), [identifier]);
  const u = user.data;
  const g = goals.data;
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('mo.title')}<//></p>
    <h1>${identifier}</h1>
    <${ErrorNote} error=${user.error || goals.error} />
    ${u && html`<dl class="facts">
        <dt>${t('mo.name')}</dt><dd>${u.name}</dd>
        ${Object.entries(u.balances || {}).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}
      </dl>
      <${Section} id="mo-held" title=${t('mo.badges')}><${JSONView} value=${u.badges} /><h3>${t('mo.badgeHistory')}</h3><${JSONView} value=${u.badgeHistory} /><//>`}
    ${g && html`<${Section} id="mo-goals" title=${t('mo.goals')}>
      <${Table} rows=${g.goals} rowKey=${(r) => r.id} columns=${[
        { title: 'ID', value: (r) => r.id },
        { title: t('mo.goalTitle'), value: (r) => r.title },
        { title: t('mo.progress'), value: (r) => `${r.progress ?? ''} / ${r.value ?? ''} ${r.valueUnit || ''}` },
        { title: t('mo.deadline'), value: (r) => r.deadlineAt },
        { title: t('mo.state'), value: (r) => (r.deletedAt ? t('mo.deleted') : r.completedAt ? t('mo.completed') : r.approvedAt ? t('mo.approved') : t('mo.draft')) },
      ]} />
      <h3>${t('mo.goalHistory')}</h3>
      <${Table} rows=${g.history} rowKey=${(r) => r.id} columns=${[
        { title: t('journal.at'), value: (r) => html`<${When} at=${r.at} />` },
        { title: t('mo.goal'), value: (r) => r.goalId },
        { title: t('mo.action'), value: (r) => r.action },
        { title: t('mo.actor'), value: (r) => r.actor || r.author },
        { title: t('mo.changes'), value: (r) => html`<code>${JSON.stringify(r.changes)}</code>` },
      ]} />
    <//>`}
    <${Ledger} user=${identifier} />
  </div>`;
}
