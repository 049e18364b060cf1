// Every call of the console is a call of the operator API, with the
// operator's token as a bearer: the console has no access of its own.
// The token lives in sessionStorage (this tab, until it closes); it is
// never put in a URL or a cookie.

const tokenKey = 'stend.operatorToken';

export const session = {
  token: () => sessionStorage.getItem(tokenKey) || '',
  set: (t) => sessionStorage.setItem(tokenKey, t),
  clear: () => sessionStorage.removeItem(tokenKey),
  onLogout: () => {},
};

export class APIError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

export const operatorPrefix = '/operator/v1/';

// query builds a query string of the parameters that are set.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

async function send(method, path, body, token) {
  const headers = { Authorization: 'Bearer ' + token };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return fetch(operatorPrefix + path, { method, headers, body: payload, cache: 'no-store', credentials: 'omit' });
}

async function failure(res) {
  let kind = '';
  let message = res.statusText;
  try {
    const j = await res.json();
    kind = j.error.kind;
    message = j.error.message;
  } catch {
    // not the operator API's envelope: the status says enough
  }
  return new APIError(res.status, kind, message);
}

// api calls the operator API and answers its JSON (null for 204).
export async function api(method, path, body) {
  const res = await send(method, path, body, session.token());
  if (res.status === 401) {
    session.clear();
    session.onLogout();
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return null;
  return res.json();
}

// login checks a token by reading the clock before keeping it.
export async function login(token) {
  const res = await send('GET', 'clock', undefined, token);
  if (!res.ok) throw await failure(res);
  session.set(token);
}

// download fetches a file with the bearer and hands it to the browser as
// a download (the whole file is held in the tab's memory meanwhile).
export async function download(path, name) {
  const res = await send('GET', path, undefined, session.token());
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
