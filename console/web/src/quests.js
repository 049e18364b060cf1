import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query, download } from './api.js';
import { t } from './i18n.js';
import { Section, ErrorNote, useLoad, useAction, Table, When, Link, usePager, PagerNav } from './ui.js';

const base = '/console/motivity/quests';
const pageSize = 50;

function title(texts) {
  const text = (texts || {}).ru || (texts || {}).en || Object.values(texts || {})[0];
  return text ? text.title : '';
}

const statusKey = { in_progress: 'qu.inProgress', checking: 'qu.checking', redo: 'qu.redo', complete: 'qu.complete', fail: 'qu.fail' };
const status = (s) => (statusKey[s] ? t(statusKey[s]) : s);

export function QuestsPage() {
  const pager = usePager();
  const quests = useLoad(() => api('GET', 'motivity/quests' + query({ afterId: pager.cursor, limit: pageSize })), [pager.cursor]);
  const rows = quests.data ? quests.data.quests : [];
  return html`<div class="page">
    <p><${Link} href="/console/motivity">← ${t('mo.title')}<//></p>
    <h1>${t('qu.title')}</h1>
    <${ErrorNote} error=${quests.error} />
    <${Table} loading=${quests.loading} caption=${t('qu.title')} rows=${rows} rowKey=${(r) => r.id} columns=${[
      { title: 'ID', value: (r) => r.id },
      { title: t('qu.quest'), value: (r) => html`<${Link} href=${`${base}/${r.id}`}>${title(r.texts) || r.id}<//>` },
      { title: t('qu.mentors'), value: (r) => (r.mentors || []).join(', ') },
      { title: t('qu.visible'), value: (r) => (r.visible ? t('common.yes') : t('common.no')) },
      { title: t('qu.deadline'), value: (r) => r.deadlineType },
      { title: t('common.updated'), value: (r) => html`<${When} at=${r.updatedAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.id} />
  </div>`;
}

export function QuestPage({ id }) {
  const quest = useLoad(() => api('GET', `motivity/quests/${encodeURIComponent(id)}`), [id]);
  const [student, setStudent] = useState(null);
  const q = quest.data;
  const statuses = Object.keys(statusKey);
  return html`<div class="page">
    <p><${Link} href=${base}>← ${t('qu.title')}<//></p>
    <h1>${q ? title(q.texts) : t('qu.quest')} (${id})</h1>
    <${ErrorNote} error=${quest.error} />
    ${q && html`<dl class="facts">
        <dt>${t('qu.mentors')}</dt><dd>${(q.mentors || []).join(', ') || '—'}</dd>
        <dt>${t('qu.open')}</dt><dd>${q.open || q.close ? html`<${When} at=${q.open} /> — <${When} at=${q.close} />` : t('qu.always')}</dd>
        <dt>${t('qu.deadline')}</dt><dd>${q.deadlineType}${q.deadlineDate ? ' ' + q.deadlineDate.slice(0, 10) : ''}${q.deadlineDelay ? ` (${q.deadlineDelay})` : ''}</dd>
        <dt>${t('qu.visible')}</dt><dd>${q.visible ? t('common.yes') : t('common.no')}</dd>
      </dl>
      <${Section} id="qu-tasks" title=${t('qu.tasks')}>
        <${Table} rows=${q.tasks} rowKey=${(r) => r.id} columns=${[
          { title: 'ID', value: (r) => r.id },
          { title: t('qu.task'), value: (r) => title(r.texts) },
          { title: t('qu.score'), value: (r) => r.score ?? '—' },
          ...statuses.map((s) => ({ title: status(s), value: (r) => (r.students && r.students[s]) || 0 })),
        ]} />
      <//>`}
    <${Students} quest=${id} tasks=${q ? q.tasks : []} open=${student} select=${setStudent} />
  </div>`;
}

function Students({ quest, tasks, open, select }) {
  const pager = usePager();
  const students = useLoad(() => api('GET', `motivity/quests/${encodeURIComponent(quest)}/students` + query({ afterId: pager.cursor, limit: pageSize })), [quest, pager.cursor]);
  const rows = students.data ? students.data.students : [];
  return html`<${Section} id="qu-students" title=${t('qu.students')}>
    <${ErrorNote} error=${students.error} />
    <${Table} loading=${students.loading} rows=${rows} rowKey=${(r) => r.user} columns=${[
      { title: t('qu.student'), value: (r) => html`<button type="button" class="link" aria-pressed=${open === r.user} onClick=${() => select(r.user)}>${r.user}</button>` },
      { title: t('qu.mentors'), value: (r) => (r.mentors || []).join(', ') },
      { title: t('qu.assigned'), value: (r) => html`<${When} at=${r.assignedAt} />` },
    ]} />
    <${PagerNav} pager=${pager} rows=${rows} limit=${pageSize} cursorOf=${(r) => r.userId} />
    ${open && html`<${Student} quest=${quest} user=${open} tasks=${tasks} />`}
  <//>`;
}

function Student({ quest, user, tasks }) {
  const student = useLoad(() => api('GET', `motivity/quests/${encodeURIComponent(quest)}/students/${encodeURIComponent(user)}`), [quest, user]);
  const s = student.data;
  const taskTitle = (id) => title((tasks.find((x) => x.id === id) || {}).texts) || id;
  return html`<div class="sub" aria-live="polite">
    <h3>${user}</h3>
    <${ErrorNote} error=${student.error} />
    ${s && html`<${Table} rows=${s.tasks} rowKey=${(r) => r.task} columns=${[
        { title: t('qu.task'), value: (r) => html`<${Link} href=${`${base}/${quest}/tasks/${r.task}/students/${encodeURIComponent(user)}`}>${taskTitle(r.task)}<//>` },
        { title: t('qu.status'), value: (r) => status(r.status) },
        { title: t('common.updated'), value: (r) => html`<${When} at=${r.updatedAt} />` },
      ]} />
      <h3>${t('qu.awards')}</h3>
      <${Table} rows=${s.awards} columns=${[
        { title: t('qu.kind'), value: (r) => r.kind },
        { title: t('qu.recipient'), value: (r) => r.recipient },
        { title: t('qu.score'), value: (r) => r.score },
        { title: t('journal.at'), value: (r) => html`<${When} at=${r.at} />` },
      ]} />`}
  </div>`;
}

// ThreadPage is one task of one student: every answer and review, with
// their files.
export function ThreadPage({ quest, task, user }) {
  const thread = useLoad(() => api('GET', `motivity/quests/${encodeURIComponent(quest)}/tasks/${encodeURIComponent(task)}/students/${encodeURIComponent(user)}`), [quest, task, user]);
  const get = useAction((f) => download(`motivity/files/${f.id}/content`, f.name));
  const x = thread.data;
  return html`<div class="page">
    <p><${Link} href=${`${base}/${quest}`}>← ${t('qu.quest')} ${quest}<//></p>
    <h1>${t('qu.thread', task, user)}</h1>
    <${ErrorNote} error=${thread.error || get.error} />
    ${x && html`<p>${t('qu.status')}: <strong data-testid="thread-status">${status(x.status)}</strong></p>
      <ol class="thread">${x.messages.map((m) => html`<li>
        <p class="muted">${m.author} · <${When} at=${m.at} /> · ${status(m.status)}</p>
        <p class="message">${m.text}</p>
        ${m.files.length > 0 && html`<ul>${m.files.map((f) => html`<li>${f.name} (${f.size} B) <button type="button" onClick=${() => get.run(f)}>${t('mo.download')}</button></li>`)}</ul>`}
      </li>`)}</ol>`}
  </div>`;
}
