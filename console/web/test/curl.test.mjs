// curlOf's commands run by real shells (bash, and sh as the browser test
// runs them), with a stand-in for curl that prints the arguments it got:
// every journal entry, however hostile, must give back exactly the
// request's parts, each masked secret read from its variable, and nothing
// in an entry may run. Started by console/curl_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curlOf, operatorCurlOf } from '../src/curl.js';

const dir = mkdtempSync(join(tmpdir(), 'stend-curl-'));
const pwned = join(dir, 'pwned');
const origin = 'http://127.0.0.1:9';

// The stand-in: a curl first on PATH that prints its argv as JSON.
const shim = join(dir, 'bin');
execFileSync('mkdir', [shim]);
writeFileSync(join(shim, 'curl'), `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`, { mode: 0o755 });

// Each variable's value is hostile too: a shell must not read it again.
const secret = (name) => `<${name} '"$(touch ${pwned}-${name}) \`touch ${pwned}\`>`;
const run = `$(touch ${pwned})`;

// argvOf runs command in shell with vars set, and answers the arguments
// the stand-in curl got; anything the command ran fails the test.
function argvOf(shell, command, vars) {
  const env = { PATH: `${shim}:${process.env.PATH}`, LC_ALL: 'C.UTF-8', ...vars };
  try {
    return JSON.parse(execFileSync(shell, ['-c', command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } finally {
    const ran = readdirSync(dir).filter((f) => f.startsWith('pwned'));
    for (const f of ran) rmSync(join(dir, f));
    assert.deepEqual(ran, [], `the command ran what it was made of:\n${command}`);
  }
}

const cases = [
  {
    name: "a body holding '\" and a command after it",
    entry: { method: 'POST', path: '/x', query: '', headers: '{}', body: `a'"; touch ${pwned}; echo '`, bodySize: 40 },
    vars: [],
    argv: ['-X', 'POST', `${origin}/x`, '--data-binary', `a'"; touch ${pwned}; echo '`],
  },
  {
    name: "a header value holding '\"$(…)",
    entry: { method: 'GET', path: '/x', query: '', headers: JSON.stringify({ 'X-Note': [`q'"${run}`] }), body: '', bodySize: 0 },
    vars: [],
    argv: [`${origin}/x`, '-H', `X-Note: q'"${run}`],
  },
  {
    name: 'a masked header whose name holds backticks and a pipe',
    entry: { method: 'GET', path: '/x', query: '', headers: JSON.stringify({ [`X\`touch ${pwned}\`|w`]: ['***'] }), body: '', bodySize: 0 },
    vars: ['SECRET'],
    argv: [`${origin}/x`, '-H', `X\`touch ${pwned}\`|w: ${secret('SECRET')}`],
  },
  {
    name: 'masked headers whose names are no shell names',
    entry: {
      method: 'GET', path: '/x', query: '',
      headers: JSON.stringify({ '1X-Key': ['***'], 'X-Ключ': ['a***'], 'X-Api-Key': ['***'], 'X-$(id)': ['***b'] }), body: '', bodySize: 0,
    },
    vars: ['SECRET', 'X_API_KEY'],
    argv: [`${origin}/x`, '-H', `1X-Key: ${secret('SECRET')}`, '-H', `X-$(id): ${secret('SECRET')}b`,
      '-H', `X-Api-Key: ${secret('X_API_KEY')}`, '-H', `X-Ключ: a${secret('SECRET')}`],
  },
  {
    name: "a path holding '\"$(…) and a query with a masked token",
    entry: { method: 'GET', path: `/x'"$(touch$IFS${pwned})`, query: `a='"&token=%2A%2A%2A&b=\`id\``, headers: '{}', body: '', bodySize: 0 },
    vars: ['FSSP_TOKEN'],
    argv: [`${origin}/x'"$(touch$IFS${pwned})?a='"&token=${secret('FSSP_TOKEN')}&b=\`id\``],
  },
  {
    name: 'masks at the start, the middle and the end, next to quotes',
    entry: { method: 'POST', path: '/x', query: 'token=***', headers: JSON.stringify({ Authorization: ['Bearer ***'] }),
      body: `***'"***"'***'`, bodySize: 14 },
    vars: ['BEARER_TOKEN', 'FSSP_TOKEN', 'SECRET'],
    argv: ['-X', 'POST', `${origin}/x?token=${secret('FSSP_TOKEN')}`, '-H', `Authorization: Bearer ${secret('BEARER_TOKEN')}`,
      '--data-binary', `${secret('SECRET')}'"${secret('SECRET')}"'${secret('SECRET')}'`],
  },
  {
    name: 'a body that is only masks',
    entry: { method: 'PUT', path: '/x', query: '', headers: '{}', body: '******', bodySize: 6 },
    vars: ['SECRET'],
    argv: ['-X', 'PUT', `${origin}/x`, '--data-binary', `${secret('SECRET')}${secret('SECRET')}`],
  },
  {
    name: 'newlines, $(…), backticks and a masked token in a body',
    entry: { method: 'POST', path: '/x', query: '', headers: JSON.stringify({ 'Content-Type': ['application/json'] }),
      body: `{"token":"***","note":"a\n'b'\n${run}\`touch ${pwned}\`\\'"}\n`, bodySize: 200 },
    vars: ['FSSP_TOKEN'],
    argv: ['-X', 'POST', `${origin}/x`, '-H', 'Content-Type: application/json', '--data-binary',
      `{"token":"${secret('FSSP_TOKEN')}","note":"a\n'b'\n${run}\`touch ${pwned}\`\\'"}\n`],
  },
  {
    name: 'a method holding a quote',
    entry: { method: `P'O;touch ${pwned}`, path: '/x', query: '', headers: '{}', body: '', bodySize: 0 },
    vars: [],
    argv: ['-X', `P'O;touch ${pwned}`, `${origin}/x`],
  },
];

for (const shell of ['bash', 'sh']) {
  for (const c of cases) {
    test(`${shell}: ${c.name}`, () => {
      const command = curlOf(c.entry, origin);
      const lines = command.split('\n');
      const first = lines.findIndex((l) => l.startsWith('curl '));
      const told = lines.slice(0, first).filter((l) => l.startsWith('# set ')).map((l) => l.slice(6, l.indexOf(':')));
      assert.ok(lines.slice(0, first).every((l) => l.startsWith('# ')), command);
      assert.deepEqual(told, c.vars, command);
      const vars = Object.fromEntries(told.map((v) => [v, secret(v)]));
      assert.deepEqual(argvOf(shell, command, vars), ['-sS', '-i', ...c.argv], command);
    });
  }
}

// The console's own operator calls (a Motivity report's record, data and
// delete) read the token from STEND_OPERATOR_TOKEN; the file a download
// writes to is named after the report's type, which is quoted like the
// rest.
const token = secret('STEND_OPERATOR_TOKEN');
const auth = `Authorization: Bearer ${token}`;
const operatorCases = [
  { name: 'a record read', call: ['GET', '/operator/v1/motivity/reports/7'], argv: ['-sS', '-H', auth, `${origin}/operator/v1/motivity/reports/7`] },
  {
    name: 'a download to a file whose name holds quotes and $(…)',
    call: ['GET', '/operator/v1/motivity/reports/7/data', `motivity-report-7-'"${run}.json`],
    argv: ['-fsS', '-H', auth, '-o', `motivity-report-7-'"${run}.json`, `${origin}/operator/v1/motivity/reports/7/data`],
  },
  { name: 'a delete', call: ['DELETE', "/operator/v1/x'y"], argv: ['-sS', '-X', 'DELETE', '-H', auth, `${origin}/operator/v1/x'y`] },
];

for (const shell of ['bash', 'sh']) {
  for (const c of operatorCases) {
    test(`${shell}: operator call: ${c.name}`, () => {
      const [method, path, out] = c.call;
      const command = operatorCurlOf(method, path, origin, out);
      assert.ok(command.startsWith('# set STEND_OPERATOR_TOKEN: '), command);
      assert.deepEqual(argvOf(shell, command, { STEND_OPERATOR_TOKEN: token }), c.argv, command);
    });
  }
}

test('clean up', () => {
  rmSync(dir, { recursive: true, force: true });
  assert.ok(!existsSync(dir));
});
