import { html } from 'htm/preact';
import { api } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, Done, useLoad, useAction, Table, Field, When, formValues, confirmThen } from './ui.js';

// The stand's powers: its clock, snapshots and reset, and faults.
export function StandPage() {
  return html`<div class="page">
    <h1>${t('stand.title')}</h1>
    <${ClockCard} />
    <${FaultsCard} />
    <${SnapshotsCard} />
  </div>`;
}

function ClockCard() {
  const clock = useLoad(() => api('GET', 'clock'), []);
  const advance = useAction((by) => api('POST', 'clock/advance', { by }), clock.reload);
  const set = useAction((at) => api('POST', 'clock/set', { at }), clock.reload);
  const release = useAction(() => api('POST', 'clock/release'), clock.reload);
  const c = clock.data;
  return html`<${Section} id="clock" title=${t('clock.title')}>
    <${ErrorNote} error=${clock.error || advance.error || set.error || release.error} />
    ${c && html`<dl class="facts">
      <dt>${t('clock.now')}</dt><dd data-testid="clock-now"><${When} at=${c.now} /></dd>
      <dt>${t('clock.offset')}</dt><dd data-testid="clock-offset">${c.offset}</dd>
    </dl>`}
    <div class="row">
      <form class="inline" onSubmit=${(e) => { e.preventDefault(); advance.run(formValues(e.target).by); }}>
        <${Field} label=${t('clock.advanceBy')} hint=${t('clock.advanceHint')}>
          <input name="by" required placeholder="25h" autocomplete="off" />
        <//>
        <button type="submit" disabled=${advance.busy}>${t('clock.advance')}</button>
      </form>
      <form class="inline" onSubmit=${(e) => { e.preventDefault(); set.run(formValues(e.target).at); }}>
        <${Field} label=${t('clock.setAt')} hint=${t('clock.setHint')}>
          <input name="at" required placeholder="2025-06-11T09:00:00+03:00" autocomplete="off" />
        <//>
        <button type="submit" disabled=${set.busy}>${t('clock.set')}</button>
      </form>
      <button type="button" onClick=${() => release.run()} disabled=${release.busy}>${t('clock.release')}</button>
    </div>
  <//>`;
}

const faultAPIs = ['', 'migrant-exam', 'fssp', 'motivity', 'motivity-files', 'reestro'];

function faultRule(v) {
  const rule = { name: v.name, api: v.api };
  for (const k of ['method', 'path', 'credential', 'field', 'value', 'message', 'job']) if (v[k]) rule[k] = v[k];
  for (const k of ['status', 'latencyMs', 'times', 'retryAfterS']) if (v[k]) rule[k] = Number(v[k]);
  if (v.probability) rule.probability = Number(v.probability);
  if (v.cut) rule.cut = true;
  return rule;
}

function FaultsCard() {
  const faults = useLoad(() => api('GET', 'faults'), []);
  const put = useAction((rule) => api('POST', 'faults', rule), faults.reload);
  const del = useAction((id) => api('DELETE', 'faults/' + id), faults.reload);
  const clear = useAction(() => api('DELETE', 'faults'), faults.reload);
  const rows = faults.data ? faults.data.faults : [];
  return html`<${Section} id="faults" title=${t('faults.title')}>
    <${ErrorNote} error=${faults.error || put.error || del.error || clear.error} />
    <div class="row"><button type="button" onClick=${faults.reload}>${t('common.refresh')}</button>
      <button type="button" class="danger" disabled=${!rows.length} onClick=${() => clear.run()}>${t('faults.clear')}</button></div>
    <${Table} loading=${faults.loading} caption=${t('faults.rules')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: t('faults.name'), value: (r) => r.name },
      { title: 'API', value: (r) => r.api || t('faults.anyAPI') },
      { title: t('faults.match'), value: (r) => [r.method, r.path, r.credential, r.field && `${r.field}=${r.value}`, r.job].filter(Boolean).join(' ') },
      { title: t('faults.effect'), value: (r) => [r.status, r.cut && t('faults.cut'), r.latencyMs && `+${r.latencyMs} ms`, r.job && t('faults.failsJob')].filter(Boolean).join(', ') },
      { title: t('faults.times'), value: (r) => r.times || '∞' },
      { title: t('faults.matched'), value: (r) => html`<span data-testid=${'fault-matched-' + r.name}>${r.matched}</span>` },
      { title: t('faults.injected'), value: (r) => html`<span data-testid=${'fault-injected-' + r.name}>${r.injected}</span>` },
      { title: '', value: (r) => html`<button type="button" onClick=${() => del.run(r.id)} aria-label=${t('faults.delete') + ' ' + r.name}>${t('common.delete')}</button>` },
    ]} />
    <form class="grid" onSubmit=${(e) => { e.preventDefault(); put.run(faultRule(formValues(e.target))); }}>
      <h3 class="span">${t('faults.add')}</h3>
      <${Field} label=${t('faults.name')}><input name="name" required autocomplete="off" /><//>
      <${Field} label="API"><select name="api">${faultAPIs.map((a) => html`<option value=${a}>${a || t('faults.anyAPI')}</option>`)}</select><//>
      <${Field} label=${t('faults.method')}><input name="method" placeholder="POST" autocomplete="off" /><//>
      <${Field} label=${t('faults.path')} hint=${t('faults.pathHint')}><input name="path" placeholder="/api/v1.0/*" autocomplete="off" /><//>
      <${Field} label=${t('faults.credential')}><input name="credential" placeholder="token Демо*" autocomplete="off" /><//>
      <${Field} label=${t('faults.field')}><input name="field" placeholder="examinationAreaId" autocomplete="off" /><//>
      <${Field} label=${t('faults.value')}><input name="value" autocomplete="off" /><//>
      <${Field} label=${t('faults.job')}><select name="job"><option value="">—</option><option>fssp.task</option><option>reestro.check</option><option>motivity.report.build</option></select><//>
      <${Field} label=${t('faults.status')}><input name="status" type="number" min="400" max="599" placeholder="503" /><//>
      <${Field} label=${t('faults.message')}><input name="message" autocomplete="off" /><//>
      <${Field} label=${t('faults.latency')}><input name="latencyMs" type="number" min="0" max="600000" /><//>
      <${Field} label=${t('faults.retryAfter')}><input name="retryAfterS" type="number" min="0" /><//>
      <${Field} label=${t('faults.times')}><input name="times" type="number" min="0" /><//>
      <${Field} label=${t('faults.probability')}><input name="probability" type="number" min="0" max="1" step="0.01" /><//>
      <label class="check"><input type="checkbox" name="cut" /> ${t('faults.cut')}</label>
      <div class="span"><button type="submit" disabled=${put.busy}>${t('faults.put')}</button></div>
    </form>
    <${Done} text=${put.result && t('faults.added', put.result.name)} />
  <//>`;
}

function SnapshotsCard() {
  const list = useLoad(() => api('GET', 'stand/snapshots'), []);
  const take = useAction((name) => api('POST', 'stand/snapshots', { name }), list.reload);
  const restore = useAction((name) => api('POST', `stand/snapshots/${encodeURIComponent(name)}/restore`), list.reload);
  const del = useAction((name) => api('DELETE', `stand/snapshots/${encodeURIComponent(name)}`), list.reload);
  const reset = useAction((rebuild) => api('POST', 'stand/reset', { rebuild }), list.reload);
  const rows = list.data ? list.data.snapshots : [];
  const done = restore.result || reset.result;
  return html`<${Section} id="snapshots" title=${t('snap.title')}>
    <${ErrorNote} error=${list.error || take.error || restore.error || del.error || reset.error} />
    <${Table} loading=${list.loading} caption=${t('snap.list')} rows=${rows} rowKey=${(r) => r.name} columns=${[
      { title: t('snap.name'), value: (r) => r.name },
      { title: t('snap.takenAt'), value: (r) => html`<${When} at=${r.takenAt} />` },
      { title: t('snap.rows'), value: (r) => r.rows },
      { title: '', value: (r) => html`<div class="row">
        <button type="button" onClick=${confirmThen(t('snap.confirmRestore', r.name), () => restore.run(r.name))}>${t('snap.restore')}</button>
        <button type="button" class="danger" onClick=${confirmThen(t('snap.confirmDelete', r.name), () => del.run(r.name))}>${t('common.delete')}</button>
      </div>` },
    ]} />
    <form class="inline" onSubmit=${(e) => { e.preventDefault(); take.run(formValues(e.target).name); }}>
      <${Field} label=${t('snap.name')}><input name="name" required maxlength="100" autocomplete="off" /><//>
      <button type="submit" disabled=${take.busy}>${t('snap.take')}</button>
    </form>
    <div class="row">
      <button type="button" class="danger" disabled=${reset.busy} onClick=${confirmThen(t('snap.confirmReset'), () => reset.run(false))}>${t('snap.reset')}</button>
    </div>
    <${Done} text=${done && t('snap.done', done.snapshot.name, done.took)} />
  <//>`;
}
