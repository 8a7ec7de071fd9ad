#!/usr/bin/env node
// `npm run build` (and `npm start` before it runs): compiles apps/ and libs/ to dist/ with tsc, only when a
// source changed since the last build. tsc's own incremental mode still parses the whole program (seconds on
// two cores); comparing file times and the list of files is instant. tsc (not a bundler) because Nest needs
// the decorator metadata that only the TypeScript compiler emits. `--force` rebuilds from scratch.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp.json');
const inputs = ['apps', 'libs', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
// The web app has its own build (Vite, scripts/web-app-fresh.js); its bundle must not look like a source change.
const skipped = new Set([join(root, 'apps', 'web'), join(root, 'node_modules')]);

function sources() {
  const files = [];
  const walk = (path) => {
    if (skipped.has(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else files.push({ file: relative(root, path), mtimeMs: stat.mtimeMs });
  };
  for (const input of inputs) if (existsSync(join(root, input))) walk(join(root, input));
  return files;
}

function isUpToDate(files) {
  if (!existsSync(stampFile)) return false;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  const builtAt = stamp.builtAtMs;
  return stamp.files.join('\n') === files.map((f) => f.file).join('\n') && files.every((f) => f.mtimeMs <= builtAt);
}

const force = process.argv.includes('--force');
if (!force && isUpToDate(sources())) process.exit(0);

// Several starts at once (parallel test suites) build once: the others wait, then find it up to date.
const lock = join(root, '.build-lock');
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
const files = sources();
if (!force && isUpToDate(files)) process.exit(0);

// A changed list of files (one moved or deleted) starts clean, so no stale module survives in dist/.
const previous = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')).files : null;
if (force || previous?.join('\n') !== files.map((f) => f.file).join('\n')) rmSync(dist, { recursive: true, force: true });

const startedAt = Date.now();
const bin = (name) => join(root, 'node_modules', '.bin', name);
process.stderr.write('building dist/ (tsc) ...\n');
try {
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join(dist, '.tsbuildinfo')], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
} catch {
  process.exit(1);
}
writeFileSync(stampFile, JSON.stringify({ builtAtMs: startedAt, files: files.map((f) => f.file) }));
process.stderr.write(`built dist/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
