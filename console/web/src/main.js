import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session, login } from './api.js';
import { t, lang, setLang, languages } from './i18n.js';
import { Link, ErrorNote, Field } from './ui.js';
import { StandPage } from './stand.js';
import { JournalPage } from './journal.js';
import { MigrantExamPage, ReportPage } from './migrantexam.js';
import { FSSPPage, TaskPage } from './fssp.js';
import { ReestroPage, CheckPage } from './reestro.js';
import { MotivityPage, MotivityUserPage } from './motivity.js';
import { QuestsPage, QuestPage, ThreadPage } from './quests.js';
import { ReportsPage, MotivityReportPage } from './reports.js';
import './style.css';

const base = '/console';

// routes map a path below /console to its page; params are decoded.
const routes = [
  [/^\/?$/, () => html`<${StandPage} />`],
  [/^\/journal$/, () => html`<${JournalPage} />`],
  [/^\/migrant-exam$/, () => html`<${MigrantExamPage} />`],
  [/^\/migrant-exam\/reports\/([^/]+)$/, (id) => html`<${ReportPage} id=${id} />`],
  [/^\/fssp$/, () => html`<${FSSPPage} />`],
  [/^\/fssp\/tasks\/([^/]+)$/, (id) => html`<${TaskPage} id=${id} />`],
  [/^\/reestro$/, () => html`<${ReestroPage} />`],
  [/^\/reestro\/organizations\/([^/]+)\/checks\/([^/]+)$/, (org, id) => html`<${CheckPage} org=${org} id=${id} />`],
  [/^\/motivity$/, () => html`<${MotivityPage} />`],
  [/^\/motivity\/users\/([^/]+)$/, (id) => html`<${MotivityUserPage} identifier=${id} />`],
  [/^\/motivity\/quests$/, () => html`<${QuestsPage} />`],
  [/^\/motivity\/quests\/([^/]+)$/, (id) => html`<${QuestPage} id=${id} />`],
  [/^\/motivity\/quests\/([^/]+)\/tasks\/([^/]+)\/students\/([^/]+)$/, (quest, task, user) => html`<${ThreadPage} quest=${quest} task=${task} user=${user} />`],
  [/^\/motivity\/reports$/, () => html`<${ReportsPage} />`],
  [/^\/motivity\/reports\/([^/]+)$/, (id) => html`<${MotivityReportPage} id=${id} />`],
];

const nav = [
  ['/', 'nav.stand'],
  ['/journal', 'nav.journal'],
  ['/migrant-exam', 'nav.migrantExam'],
  ['/fssp', 'nav.fssp'],
  ['/reestro', 'nav.reestro'],
  ['/motivity', 'nav.motivity'],
];

// page is the view of path; a path it cannot decode (a hand-typed % not
// followed by UTF-8) is no page, not an error.
function page(path) {
  const rest = path.startsWith(base) ? path.slice(base.length) : path;
  for (const [re, view] of routes) {
    const m = rest.match(re);
    if (!m) continue;
    let params;
    try {
      params = m.slice(1).map(decodeURIComponent);
    } catch {
      break;
    }
    return view(...params);
  }
  return html`<div class="page"><h1>${t('nav.notFound')}</h1><p><${Link} href=${base + '/'}>${t('nav.stand')}<//></p></div>`;
}

function Login({ done }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      await login(new FormData(e.target).get('token'));
      done();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<div class="login">
    <h1>${t('login.title')}</h1>
    <p>${t('login.explain')}</p>
    <form onSubmit=${submit}>
      <${Field} label=${t('login.token')}><input name="token" type="password" required autocomplete="current-password" autofocus /><//>
      <button type="submit" disabled=${busy}>${t('login.enter')}</button>
    </form>
    <${ErrorNote} error=${error} />
  </div>`;
}

function LangSwitch() {
  return html`<div class="langs" role="group" aria-label=${t('nav.language')}>
    ${languages.map((l) => html`<button type="button" lang=${l} aria-pressed=${lang() === l} onClick=${() => setLang(l)}>${l.toUpperCase()}</button>`)}
  </div>`;
}

function App() {
  const [path, setPath] = useState(location.pathname);
  const [signedIn, setSignedIn] = useState(Boolean(session.token()));
  const [, setLangTick] = useState(0);
  useEffect(() => {
    const moved = () => setPath(location.pathname);
    addEventListener('popstate', moved);
    session.onLogout = () => setSignedIn(false);
    addEventListener('stend-lang', () => setLangTick((n) => n + 1));
    return () => removeEventListener('popstate', moved);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang();
    document.title = t('app.title');
  });
  const logout = () => {
    session.clear();
    setSignedIn(false);
  };
  const current = path.slice(base.length) || '/';
  return html`<div class="app" key=${lang()}>
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <header>
      <span class="brand">stend</span>
      ${signedIn && html`<nav aria-label=${t('nav.main')}><ul>
        ${nav.map(([href, key]) => html`<li><${Link} href=${base + href} aria-current=${(href === '/' ? current === '/' : current.startsWith(href)) ? 'page' : undefined}>${t(key)}<//></li>`)}
      </ul></nav>`}
      <${LangSwitch} />
      ${signedIn && html`<button type="button" onClick=${logout}>${t('login.logout')}</button>`}
    </header>
    <main id="main" tabindex="-1">
      ${signedIn ? page(path) : html`<${Login} done=${() => setSignedIn(true)} />`}
    </main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
