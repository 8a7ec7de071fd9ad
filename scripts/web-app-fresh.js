#!/usr/bin/env node
// `npm start`'s prestart: builds the web app (npm run build:web) when its bundle is missing or older than
// any of its sources (apps/web, and libs/domain, which it compiles in). Plain Node, no dependencies, so it
// runs before anything else is compiled. `--check` only tells (exit 1 when stale).
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const bundle = join(root, 'apps/web/dist/index.html');
const sources = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.mts', 'libs/domain/src', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function isStale() {
  if (!existsSync(bundle)) return 'missing';
  const built = statSync(bundle).mtimeMs;
  const changed = sources.find((source) => newestMtime(join(root, source)) > built);
  return changed ? `older than ${changed}` : null;
}

// Several starts at once (test suites run in parallel) build once: the others wait, then find it fresh.
const lock = join(root, 'apps/web/.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

function acquireLock() {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}

if (process.argv.includes('--check')) {
  const stale = isStale();
  if (stale) console.log(`web app bundle ${stale}`);
  process.exit(stale ? 1 : 0);
}
if (isStale()) {
  acquireLock();
  try {
    const stale = isStale();
    if (stale) {
      // Progress on stderr, the build's own output too: a caller's stdout may carry a result (npm run bench's JSON).
      console.error(`building the web app (bundle ${stale}): npm run build:web`);
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build:web'], { cwd: root, stdio: ['ignore', 2, 2] });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
