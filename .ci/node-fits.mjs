// node-fits.mjs VERSION LOCKFILE: exits 0 when node VERSION (as `node
// --version` prints it) meets every engines.node range of the packages
// the lock file pins, and 1, naming the ranges it misses, when not.
// Optional packages (other platforms' builds) are left out: npm skips them.
// Written for plain Node: it runs under the old node it may refuse.
import { readFileSync } from 'node:fs';

const [version, lockFile] = process.argv.slice(2);

function parse(v) {
  const m = /^v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(v.trim());
  if (!m) throw new Error(`not a version: ${v}`);
  return [m[1], m[2], m[3]].map((p) => (p === undefined || p === 'x' || p === '*' ? null : Number(p)));
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

// meets answers whether the version v meets one comparator (">=20",
// "^20.19.0", "~1.2", "12.x", "*"), as npm's semver reads them.
function meets(v, comparator) {
  const [, op, rest] = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(comparator);
  if (rest === '' || rest === '*' || rest === 'x') return true;
  const p = parse(rest);
  const low = p.map((n) => n ?? 0);
  const given = p.filter((n) => n !== null).length;
  // The first version past what a partial or caret or tilde range allows.
  const next = (i) => low.map((n, j) => (j < i ? n : j === i ? n + 1 : 0));
  switch (op) {
    case '>=': return compare(v, low) >= 0;
    case '>': return given === 3 ? compare(v, low) > 0 : compare(v, next(given - 1)) >= 0;
    case '<': return compare(v, low) < 0;
    case '<=': return given === 3 ? compare(v, low) <= 0 : compare(v, next(given - 1)) < 0;
    case '^': {
      const i = low[0] !== 0 || given === 1 ? 0 : low[1] !== 0 || given === 2 ? 1 : 2;
      return compare(v, low) >= 0 && compare(v, next(i)) < 0;
    }
    case '~': return compare(v, low) >= 0 && compare(v, next(given === 1 ? 0 : 1)) < 0;
    default: return compare(v, low) >= 0 && compare(v, next(given - 1)) < 0;
  }
}

function satisfies(v, range) {
  return range.split('||').some((alt) =>
    alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).every((c) => meets(v, c)));
}

const v = parse(version);
const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
const missed = [];
for (const [name, pkg] of Object.entries(lock.packages || {})) {
  const range = pkg.engines && pkg.engines.node;
  if (range && !pkg.optional && !satisfies(v, range)) missed.push(`${name || 'the project'} needs node ${range}`);
}
if (missed.length) {
  console.error(`node ${version} does not fit ${lockFile}:\n  ${[...new Set(missed)].join('\n  ')}`);
  process.exit(1);
}
