// The OpenAPI page in headless Chromium against a running stand. Started
// by openapi/e2e_test.go, which passes:
//   STEND_URL, STEND_OPERATOR_TOKEN  the stand
//   STEND_TEST_BROWSER               Chromium's executable
//   STEND_TEST_ARTIFACTS             where the screenshots go
// It loads the page, shows each document and counts its operations against
// the stand's list, then calls the operator API's clock with "Try it out".
// Any failed expectation, page error or browser console error fails it.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const base = process.env.STEND_URL;
const token = process.env.STEND_OPERATOR_TOKEN;
const browserPath = process.env.STEND_TEST_BROWSER;
const artifacts = process.env.STEND_TEST_ARTIFACTS;
for (const [k, v] of Object.entries({ STEND_URL: base, STEND_OPERATOR_TOKEN: token, STEND_TEST_BROWSER: browserPath, STEND_TEST_ARTIFACTS: artifacts })) {
  if (!v) throw new Error(`${k} is not set`);
}
mkdirSync(artifacts, { recursive: true });
const timeout = 20_000;
// The operations the page shows, each once: one with two tags is shown
// under each.
const countOperations = `new Set([...document.querySelectorAll('.opblock')].map((b) =>
  b.querySelector('.opblock-summary-method')?.textContent + ' ' + b.querySelector('[data-path]')?.getAttribute('data-path'))).size`;

const browser = await chromium.launch({
  executablePath: browserPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
const outside = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  // The page must work offline: it asks nothing of any other host.
  page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });

  const apis = await (await fetch(`${base}/openapi/apis.json`)).json();
  assert.ok(apis.length >= 1, 'the stand lists no document');
  for (const api of apis) {
    console.log(`step: ${api.name} (${api.operations} operations)`);
    await page.goto(`${base}/openapi/?urls.primaryName=${encodeURIComponent(api.title)}`);
    await page.locator('.information-container .title').first().waitFor({ timeout });
    await page.waitForFunction(`${countOperations} === ${api.operations}`, null, { timeout })
      .catch(async () => {
        const shown = await page.evaluate(countOperations);
        throw new Error(`${api.name}: the page shows ${shown} operations, the document has ${api.operations}`);
      });
    await page.screenshot({ path: join(artifacts, `openapi-${api.name}.png`) });
  }

  const operator = apis.find((a) => a.name === 'operator');
  if (operator) {
    console.log('step: try it out on GET /operator/v1/clock');
    await page.goto(`${base}/openapi/?urls.primaryName=${encodeURIComponent(operator.title)}`);
    await page.locator('.btn.authorize').first().click({ timeout });
    await page.locator('.modal-ux .auth-container input').first().fill(token);
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').first().click();
    await page.locator('.modal-ux .btn-done, .modal-ux .close-modal').first().click();
    const op = page.locator('.opblock.opblock-get').filter({ has: page.locator('[data-path="/operator/v1/clock"]') }).first();
    await op.locator('.opblock-summary').first().click();
    await op.locator('.try-out__btn').click({ timeout });
    await op.locator('.execute').click({ timeout });
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout });
    assert.equal((await status.innerText()).trim(), '200', 'the clock through "Try it out"');
    const body = await op.locator('.live-responses-table .response .microlight').first().innerText();
    assert.match(body, /"now"/, `the clock's answer: ${body}`);
    await page.screenshot({ path: join(artifacts, 'openapi-try-it.png') });
  }
} finally {
  await browser.close();
}
assert.deepEqual(outside, [], 'the page asked other hosts');
assert.deepEqual(problems, [], 'the page reported errors');
console.log('ok');
