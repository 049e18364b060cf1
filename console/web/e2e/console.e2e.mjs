// The console driven in headless Chromium against a running stand, as an
// operator uses it. Started by console/e2e_test.go, which starts the stand
// and passes it here:
//   STEND_URL, STEND_OPERATOR_TOKEN  the stand (seeded with console/testdata/seed.json)
//   STEND_TEST_BROWSER               Chromium's executable
//   STEND_TEST_ARTIFACTS             where the screenshots go
// Any failed expectation, page error or browser console error fails it.
import { chromium } from 'playwright-core';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { curlOf } from '../src/curl.js';

const base = process.env.STEND_URL;
const token = process.env.STEND_OPERATOR_TOKEN;
const browserPath = process.env.STEND_TEST_BROWSER;
const artifacts = process.env.STEND_TEST_ARTIFACTS;
for (const [k, v] of Object.entries({ STEND_URL: base, STEND_OPERATOR_TOKEN: token, STEND_TEST_BROWSER: browserPath, STEND_TEST_ARTIFACTS: artifacts })) {
  if (!v) throw new Error(`${k} is not set`);
}
mkdirSync(artifacts, { recursive: true });

const fsspToken = 'demo-fssp-token';
const timeout = 15_000;

function step(name) {
  console.log(`step: ${name}`);
}

// Dates of last week (Monday to Sunday) in Moscow, which the migrant-exam
// API takes as a reporting period.
function lastWeek() {
  const moscow = new Date(Date.now() + 3 * 3600_000);
  const day = (moscow.getUTCDay() + 6) % 7; // Monday 0
  const monday = new Date(Date.UTC(moscow.getUTCFullYear(), moscow.getUTCMonth(), moscow.getUTCDate() - day - 7));
  const d = (n) => new Date(monday.getTime() + n * 86400_000).toISOString().slice(0, 10);
  return { start: d(0), end: d(6), exam: d(2), exam2: d(3), nearest: d(40) };
}

async function call(method, path, { headers = {}, body } = {}) {
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

function report(week, reportId, examDate, status) {
  return {
    ...(reportId ? { reportId } : {}),
    examinationAreaId: 101, periodStartDate: week.start, periodEndDate: week.end,
    noExamInSelectedPeriod: false, examinationAreaDoesNotWork: false,
    noPatentExamType: false, patentNearestStartDate: week.nearest,
    noTemporaryResidenceExamType: true, noResidencePermitExamType: true,
    noCitizenshipRussianLangExamType: true, noCitizenshipHistoryExamType: true,
    requests: [{ identityDocumentNumber: 'a'.repeat(64), examDate, migrationExamType: 1, migrationExamStatus: status }],
  };
}

const migrantExamHeaders = {
  Authorization: 'Basic ' + Buffer.from('demo:demo-password').toString('base64'),
  'x-api-key': 'demo-api-key',
  'Content-Type': 'application/json',
};

async function fsspSearch(headers = {}) {
  const q = new URLSearchParams({ token: fsspToken, region: '66', lastname: 'Иванов', firstname: 'Сергей' });
  const r = await call('GET', '/api/v1.0/search/physical?' + q, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json().response.task;
}

function sh(command, env, cwd) {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { env: { ...process.env, ...env }, timeout, cwd }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const userDataDir = mkdtempSync(join(tmpdir(), 'stend-console-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: browserPath,
  headless: true,
  locale: 'ru-RU',
  viewport: { width: 1366, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(timeout);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  // Leaving the document aborts the requests in flight: settle waits until
  // there are none, so that an abort is never the test's own doing.
  let inflight = 0;
  page.on('request', () => inflight++);
  page.on('requestfinished', () => inflight--);
  page.on('requestfailed', () => inflight--);
  const settle = async () => {
    for (let quiet = 0; quiet < 3; quiet = inflight === 0 ? quiet + 1 : 0) await page.waitForTimeout(100);
  };
  const shot = (name) => page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
  const heading = (name) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  const nav = (name) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

  step('log in (Russian), then switch to English');
  await page.goto(base + '/console/');
  await page.getByLabel('Токен оператора').fill(token);
  await shot('login');
  await page.getByRole('button', { name: 'Войти' }).click();
  await heading('Стенд');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('stend.operatorToken')), token);
  assert.ok(!page.url().includes(token), 'the token is in the URL');
  assert.equal((await context.cookies()).length, 0, 'the console set a cookie');
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await heading('The stand');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

  step('a report sent, then replaced, through the public API shows both versions');
  const week = lastWeek();
  const sent = await call('POST', '/Reports/Report', { headers: migrantExamHeaders, body: report(week, 0, week.exam, 1) });
  assert.equal(sent.status, 200, sent.text);
  const reportId = sent.json().reportId;
  const replaced = await call('POST', '/Reports/Report', { headers: migrantExamHeaders, body: report(week, reportId, week.exam2, 2) });
  assert.equal(replaced.status, 200, replaced.text);
  await nav('Migrant exam');
  await heading('Migrant exam');
  await page.getByRole('cell', { name: String(reportId), exact: true }).waitFor();
  await shot('migrant-exam');
  await page.getByLabel('Report id').fill(String(reportId));
  await page.getByRole('search').filter({ has: page.getByLabel('Report id') }).getByRole('button', { name: 'Search' }).click();
  await heading(`Report ${reportId}`);
  await page.getByTestId('report-versions').filter({ hasText: '2' }).waitFor();
  const versions = page.getByTestId('report-version');
  assert.equal(await versions.count(), 2);
  await versions.nth(0).getByRole('cell', { name: week.exam, exact: true }).waitFor();
  await versions.nth(1).getByRole('cell', { name: week.exam2, exact: true }).waitFor();
  assert.equal(await versions.nth(0).locator('tr.changed').count(), 0);
  assert.equal(await versions.nth(1).locator('tr.changed').count(), 1, 'the replaced row is not marked');
  await shot('migrant-exam-report');

  step('a request made now appears in the journal without reloading, and copies as curl');
  await nav('Journal');
  await heading('Request journal');
  await page.getByRole('button', { name: 'POST /Reports/Report' }).first().waitFor();
  // A header that ends a badly quoted argument and runs a command: the
  // copied command must send it as it was, and run nothing.
  const canary = join(userDataDir, 'ran-from-a-header');
  const taskId = await fsspSearch({ 'X-Note': `it'"$(touch ${canary})\`touch ${canary}\`` });
  const entry = page.getByRole('button', { name: 'GET /api/v1.0/search/physical' });
  await entry.first().waitFor();
  await entry.first().click();
  await page.getByRole('button', { name: 'Copy as curl' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(!curl.includes(fsspToken), `the copied command holds the token: ${curl}`);
  assert.match(curl, /# set FSSP_TOKEN/);
  assert.match(curl, /^curl .*\/api\/v1\.0\/search\/physical\?/m);
  await shot('journal');
  const again = await sh(curl, { FSSP_TOKEN: fsspToken });
  assert.match(again, /^HTTP\/1\.1 200/, again);
  assert.match(again, /"task":"[0-9a-f-]+"/i, again);
  assert.ok(!existsSync(canary), `the copied command ran what a header held: ${curl}`);
  const resent = (await call('GET', '/operator/v1/journal/newest?api=fssp&limit=1', { headers: { Authorization: 'Bearer ' + token } })).json().entries[0];
  assert.deepEqual(JSON.parse(resent.headers)['X-Note'], [`it'"$(touch ${canary})\`touch ${canary}\``], 'the header was not sent as it was');
  await page.waitForFunction(() => document.querySelectorAll('button').length > 0 &&
    [...document.querySelectorAll('tr[data-testid=journal-entry] button')].filter((b) => b.textContent === 'GET /api/v1.0/search/physical').length === 2);

  step('every way a credential is masked copies as a command that works once it is given');
  const reestroKey = '0b8e5f4c-6a1d-4f2e-9c3b-7d2a1e5f8c40';
  const reestroAuth = `ReestroAuth apiKey=${reestroKey}&portal.orgid=1269f58a-3d40-42e1-91ad-a4251566419c`;
  assert.equal((await call('GET', '/realty/assessment/v1/checks', { headers: { Authorization: reestroAuth } })).status, 200);
  assert.equal((await call('GET', '/public/api/v1/badge', { headers: { 'X-Auth-Token': 'demo-public-token' } })).status, 200);
  const journalled = (await call('GET', '/operator/v1/journal?limit=1000', { headers: { Authorization: 'Bearer ' + token } })).json().entries;
  const secrets = {
    BASIC_CREDENTIALS: Buffer.from('demo:demo-password').toString('base64'), X_API_KEY: 'demo-api-key',
    REESTRO_API_KEY: reestroKey, X_AUTH_TOKEN: 'demo-public-token',
  };
  for (const [api, vars] of [['migrant-exam', ['BASIC_CREDENTIALS', 'X_API_KEY']], ['reestro', ['REESTRO_API_KEY']], ['motivity', ['X_AUTH_TOKEN']]]) {
    const e = journalled.filter((x) => x.api === api).at(-1);
    const command = curlOf(e, base);
    for (const v of vars) assert.match(command, new RegExp(`# set ${v}:`), command);
    for (const secret of Object.values(secrets)) assert.ok(!command.includes(secret), `${api}: a secret in ${command}`);
    const answer = await sh(command, secrets);
    assert.match(answer, new RegExp(`^HTTP/1\\.1 ${e.status} `), `${api}: ${command}\n${answer}`);
  }

  step('the live journal keeps its newest 500 entries and pages back to the rest');
  const operator = { headers: { Authorization: 'Bearer ' + token } };
  for (let i = 0; i < 520; i += 20) {
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('GET', '/Reports/Report')));
    assert.ok(answers.every((a) => a.status === 405), answers[0].text);
  }
  const newestId = (await call('GET', '/operator/v1/journal/newest?limit=1', operator)).json().entries[0].id;
  const rows = page.getByTestId('journal-entry');
  await page.waitForFunction((id) => document.querySelector('tr[data-testid=journal-entry] td')?.textContent === String(id), newestId);
  await page.getByText('Entries shown: 500, newest first.').waitFor();
  const shown = async () => (await rows.locator('td:first-child').allTextContents()).map(Number);
  const kept = await shown();
  assert.equal(kept.length, 500);
  const before = (await call('GET', `/operator/v1/journal/newest?limit=50&beforeId=${kept[499]}`, operator)).json().entries;
  assert.ok(before.length > 0, 'nothing older than the 500 kept');
  await page.getByRole('button', { name: 'Older entries' }).click();
  await page.getByText(`Entries shown: ${500 + before.length}, newest first.`).waitFor();
  const paged = await shown();
  assert.deepEqual(paged.slice(0, 500), kept);
  assert.deepEqual(paged.slice(500), before.map((e) => e.id), 'the older page does not continue the list');

  step('a fault added in the console hits a request');
  await nav('Stand');
  await heading('The stand');
  const faults = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a fault' }) });
  await faults.getByLabel('Name').fill('e2e-busy');
  await faults.getByLabel('API').selectOption('fssp');
  await faults.getByLabel('Path').fill('/api/v1.0/status');
  await faults.getByLabel('Status').fill('503');
  await faults.getByLabel('Times').fill('1');
  await faults.getByRole('button', { name: 'Add fault' }).click();
  await page.getByText('Fault "e2e-busy" is in force.').waitFor();
  assert.equal(await page.getByTestId('fault-injected-e2e-busy').textContent(), '0');
  const hit = await call('GET', '/api/v1.0/status?' + new URLSearchParams({ token: fsspToken, task: taskId }));
  assert.equal(hit.status, 503, hit.text);
  await page.getByRole('region', { name: 'Faults' }).getByRole('button', { name: 'Refresh' }).click();
  await page.getByTestId('fault-injected-e2e-busy').filter({ hasText: '1' }).waitFor();
  await shot('stand');
  await nav('Journal');
  await heading('Request journal');
  const filters = page.getByRole('form', { name: 'Journal filters' });
  await filters.getByLabel('Status').fill('503');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('Entries shown: 1, newest first.').waitFor();
  await page.getByRole('button', { name: 'GET /api/v1.0/status' }).click();
  assert.equal(await page.getByTestId('journal-reason').textContent(), hit.json().exception);
  await page.getByRole('row').filter({ hasText: /fault \d+/ }).first().waitFor();
  assert.ok(!(await page.locator('tr.detail').textContent()).includes(fsspToken), 'the token shows in the entry');
  await shot('journal-refused');

  step('moving the clock purges an FSSP task');
  await nav('FSSP');
  await heading('FSSP data bank');
  await page.getByRole('link', { name: taskId }).waitFor();
  await shot('fssp');
  await nav('Stand');
  await heading('The stand');
  await page.getByLabel('Move forward by').fill('25h');
  await page.getByRole('button', { name: 'Move forward', exact: true }).click();
  await page.getByTestId('clock-offset').filter({ hasText: /^25h0m/ }).waitFor();
  await nav('FSSP');
  await heading('FSSP data bank');
  // The list says "Nothing here." only once it has loaded: a check made
  // while it loads would pass with the task still there.
  const tasks = page.getByRole('region', { name: 'Tasks (kept 24 hours)' });
  await tasks.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
  await tasks.getByRole('table').or(tasks.getByText('Nothing here.')).first().waitFor();
  assert.equal(await page.getByRole('link', { name: taskId }).count(), 0, 'the task outlived 25 hours');
  const purged = await call('GET', '/operator/v1/fssp/tasks/' + encodeURIComponent(taskId), { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(purged.status, 404, `the task outlived 25 hours: ${purged.text}`);
  await settle();
  await page.goto(base + '/console/');
  await heading('The stand');
  await page.getByRole('button', { name: 'Back to real time' }).click();
  await page.getByTestId('clock-offset').filter({ hasText: /^0s$/ }).waitFor();

  step('the other pages');
  await nav('Reestro');
  await heading('Reestro');
  await page.getByRole('button', { name: 'Демо-агентство недвижимости' }).click();
  await page.getByRole('heading', { name: 'Checks of Демо-агентство недвижимости' }).waitFor();
  await shot('reestro');
  await nav('Motivity');
  await heading('Motivity');
  await page.getByRole('link', { name: 'petrov@example.ru' }).waitFor();
  await shot('motivity');
  const files = page.getByRole('table', { name: 'Files' });
  const downloading = page.waitForEvent('download');
  await files.getByRole('row').filter({ hasText: 'Регламент.pdf' }).getByRole('button', { name: 'Download' }).click();
  const file = await downloading;
  assert.equal(file.suggestedFilename(), 'Регламент.pdf');
  assert.equal(readFileSync(await file.path(), 'utf8'), readFileSync(new URL('../../testdata/regulations.pdf', import.meta.url), 'utf8'));
  await page.getByRole('link', { name: 'petrov@example.ru' }).click();
  await heading('petrov@example.ru');
  await page.getByRole('cell', { name: 'Пройти курс по Go', exact: true }).waitFor();
  await shot('motivity-user');

  step('a quest, its students and a task\'s thread');
  await nav('Motivity');
  await page.getByRole('link', { name: 'Quests', exact: true }).click();
  await heading('Quests');
  await page.getByRole('link', { name: 'Адаптация новичка' }).click();
  await heading('Адаптация новичка (1)');
  await page.getByRole('button', { name: 'petrov@example.ru' }).click();
  await page.getByRole('link', { name: 'Знакомство' }).waitFor();
  await shot('motivity-quest');
  await page.getByRole('link', { name: 'Знакомство' }).click();
  await heading('Task 1 of petrov@example.ru');
  await page.getByTestId('thread-status').filter({ hasText: 'complete' }).waitFor();
  assert.equal(await page.locator('ol.thread > li').count(), 4);
  await page.getByText('Люблю бег и шахматы').waitFor();
  await shot('motivity-thread');

  step('reports created through the public API: listed, read, downloaded, copied as curl, deleted (after a confirmation)');
  const fault = await call('POST', '/operator/v1/faults', {
    headers: { ...operator.headers, 'Content-Type': 'application/json' },
    body: { name: 'e2e-report', job: 'motivity.report.build', field: 'type', value: 'balances', times: 1 },
  });
  assert.equal(fault.status, 200, fault.text);
  const createReport = async (type, filters) => {
    const r = await call('POST', '/public/api/v1/reports/create/' + type, {
      headers: { 'X-Auth-Token': 'demo-public-token', 'Content-Type': 'application/json' }, body: { filters },
    });
    assert.equal(r.status, 200, r.text);
    return r.json().id;
  };
  const failedId = await createReport('balances', null);
  const createdId = await createReport('users', { user_status: ['active'] });
  await nav('Motivity');
  await heading('Motivity');
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await heading('Reports');
  const reportRow = (id) => page.getByRole('table', { name: 'Reports' }).getByRole('row')
    .filter({ has: page.getByRole('link', { name: String(id), exact: true }) });
  // The list reloads itself while a report is being built.
  const listed = reportRow(createdId);
  await listed.getByTestId('report-state').filter({ hasText: /^ready$/ }).waitFor();
  const failed = reportRow(failedId);
  await failed.getByTestId('report-state').filter({ hasText: /^failed$/ }).waitFor();
  await failed.getByText('report build failed').waitFor();
  assert.equal(await failed.getByRole('button', { name: `Download report ${failedId}` }).count(), 0, 'a failed report offers a download');
  await listed.getByRole('cell', { name: 'users', exact: true }).waitFor();
  await listed.getByRole('cell', { name: 'ru', exact: true }).waitFor();
  await shot('motivity-reports');
  page.once('dialog', (d) => d.accept());
  await failed.getByRole('button', { name: `Delete report ${failedId}` }).click();
  await page.getByText(`Report ${failedId} deleted.`).waitFor();
  await failed.waitFor({ state: 'detached' });
  assert.equal((await call('GET', `/operator/v1/motivity/reports/${failedId}`, operator)).status, 404);
  await listed.getByRole('link', { name: String(createdId), exact: true }).click();
  await heading(`Report ${createdId}`);
  await page.getByTestId('report-state').filter({ hasText: /^ready$/ }).waitFor();
  const filtersShown = await page.getByRole('region', { name: 'Filters' }).locator('pre').textContent();
  assert.deepEqual(JSON.parse(filtersShown), { user_status: ['active'] });
  const reportBytes = await call('GET', `/operator/v1/motivity/reports/${createdId}/data`, operator);
  assert.equal(reportBytes.status, 200, reportBytes.text);
  const reportName = `motivity-report-${createdId}-users.json`;
  const downloadingReport = page.waitForEvent('download');
  await page.getByRole('button', { name: `Download report ${createdId}` }).click();
  const downloadedReport = await downloadingReport;
  assert.equal(downloadedReport.suggestedFilename(), reportName);
  assert.equal(readFileSync(await downloadedReport.path(), 'utf8'), reportBytes.text);
  await page.getByRole('button', { name: 'Copy as curl: Download the report' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  const reportCurl = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(reportCurl, await page.getByTestId('report-curl-data').textContent());
  assert.ok(!reportCurl.includes(token), `the copied command holds the operator token: ${reportCurl}`);
  const curlDir = mkdtempSync(join(tmpdir(), 'stend-console-report-'));
  try {
    await sh(reportCurl, { STEND_OPERATOR_TOKEN: token }, curlDir);
    assert.equal(readFileSync(join(curlDir, reportName), 'utf8'), reportBytes.text);
  } finally {
    rmSync(curlDir, { recursive: true, force: true });
  }
  await shot('motivity-report');
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    d.accept();
  });
  await page.getByRole('button', { name: `Delete report ${createdId}` }).click();
  await page.getByText(`Report ${createdId} deleted.`).waitFor();
  assert.match(asked, new RegExp(`^Delete report ${createdId}\\?`));
  const removed = await call('GET', `/operator/v1/motivity/reports/${createdId}`, operator);
  assert.equal(removed.status, 404, removed.text);
  await page.getByRole('link', { name: '← Reports' }).click();
  await heading('Reports');
  await page.getByText('Nothing here.').waitFor();

  step('a snapshot taken, then restored (after a confirmation)');
  await nav('Stand');
  await heading('The stand');
  await page.getByLabel('Snapshot name').fill('e2e');
  await page.getByRole('button', { name: 'Take snapshot' }).click();
  await page.getByRole('cell', { name: 'e2e', exact: true }).waitFor();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.getByText(/^Done: e2e in /).waitFor();

  step('a hand-typed path that is not UTF-8 is no page, not an error');
  await settle();
  await page.goto(base + '/console/motivity/users/%E0%A4');
  await heading('No such page');
  await page.getByRole('link', { name: 'Stand' }).last().waitFor();

  step('keyboard: the navigation is reachable by Tab, with a visible focus');
  await settle();
  await page.goto(base + '/console/journal');
  await heading('Request journal');
  const focused = async () => page.evaluate(() => {
    const el = document.activeElement;
    return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
  });
  await page.keyboard.press('Tab');
  assert.equal((await focused()).text, 'Skip to content');
  await page.keyboard.press('Tab');
  const link = await focused();
  assert.equal(link.text, 'Stand');
  assert.notEqual(link.outline, 'none', 'the focused link shows no outline');
  await page.keyboard.press('Enter');
  await heading('The stand');
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
assert.deepEqual(problems, [], 'the browser reported problems');
console.log('ok');
