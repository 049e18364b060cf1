// curlOf writes a journal entry as a curl command that sends the request
// again. The journal never holds secrets: where it masked one (***), the
// command reads a shell variable instead, named after what was masked, and
// the lines above it say which variables to set.

const skipped = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'te', 'trailer', 'upgrade']);

// quote makes s one shell word, whatever it holds: inside single quotes
// only a single quote is special, and it is closed, escaped and reopened.
function quote(s) {
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

// withVars makes s one shell word in which every masked secret reads
// "$name": the parts between the masks are quoted each on its own and
// joined by the variable, so that nothing in s can end a quote.
function withVars(s, name, used) {
  const parts = s.split(/\*\*\*|%2A%2A%2A/);
  if (parts.length === 1) return quote(s);
  used.add(name);
  return parts.map((p, i) => (p === '' ? '' : quote(p)) + (i < parts.length - 1 ? `"$${name}"` : '')).join('');
}

// A variable's name reaches the command unquoted: one made of anything
// but capitals, digits and underscores (a header's name may hold
// backticks) is SECRET instead.
const shellName = /^[A-Z_][A-Z0-9_]*$/;

function headerVar(name, value) {
  const lower = name.toLowerCase();
  if (lower === 'authorization') {
    const scheme = value.split(' ')[0].toLowerCase();
    if (scheme === 'basic') return 'BASIC_CREDENTIALS';
    if (scheme === 'bearer') return 'BEARER_TOKEN';
    if (scheme === 'reestroauth') return 'REESTRO_API_KEY';
    return 'AUTHORIZATION';
  }
  const v = lower.replaceAll('-', '_').toUpperCase();
  return shellName.test(v) ? v : 'SECRET';
}

const explain = {
  BASIC_CREDENTIALS: 'base64 of username:password',
  BEARER_TOKEN: 'the bearer token',
  REESTRO_API_KEY: 'the Reestro API key',
  X_API_KEY: 'the organization API key',
  X_AUTH_TOKEN: 'the Motivity public API token (PUBLIC_API_TOKEN)',
  FSSP_TOKEN: 'the FSSP token',
  SECRET: 'the secret the journal masked here',
};

export function curlOf(entry, origin) {
  const used = new Set();
  const url = origin + entry.path + (entry.query ? '?' + entry.query : '');
  const args = ['curl', '-sS', '-i'];
  if (entry.method !== 'GET' || entry.body) args.push('-X', quote(entry.method));
  args.push(withVars(url, 'FSSP_TOKEN', used));
  let headers = {};
  try {
    headers = JSON.parse(entry.headers || '{}');
  } catch {
    headers = {};
  }
  for (const name of Object.keys(headers).sort()) {
    if (skipped.has(name.toLowerCase())) continue;
    for (const value of headers[name]) {
      args.push('-H', withVars(`${name}: ${value}`, headerVar(name, value), used));
    }
  }
  const notes = [];
  if (entry.body) {
    const kept = new TextEncoder().encode(entry.body).length;
    if (entry.bodySize > kept || entry.body.startsWith('(')) {
      notes.push(`# the journal kept ${kept} of the body's ${entry.bodySize} bytes: the command sends what was kept`);
    }
    args.push('--data-binary', withVars(entry.body, entry.body.toLowerCase().includes('token') ? 'FSSP_TOKEN' : 'SECRET', used));
  }
  const lines = [...used].sort().map((v) => `# set ${v}: ${explain[v] || 'the value the journal masked'}`);
  return [...lines, ...notes, args.join(' ')].join('\n');
}

// operatorCurlOf writes an operator API call the console makes as a curl
// command for the same call, to run where a browser tab is the wrong tool
// (a report of gigabytes). The token is never written in it: the command
// reads STEND_OPERATOR_TOKEN, the variable the stand itself is given it by.
// out, when given, is the file the answer is written to.
export function operatorCurlOf(method, path, origin, out) {
  const used = new Set();
  const args = ['curl', out ? '-fsS' : '-sS'];
  if (method !== 'GET') args.push('-X', quote(method));
  args.push('-H', withVars('Authorization: Bearer ***', 'STEND_OPERATOR_TOKEN', used));
  if (out) args.push('-o', quote(out));
  args.push(quote(origin + path));
  return ['# set STEND_OPERATOR_TOKEN: the operator token', args.join(' ')].join('\n');
}
