#!/usr/bin/env node
// The two commands (`npm start`, `npm test`) on a machine that has only Node 20
// and npm. pnpm is pinned exactly (package.json "packageManager"); when the
// machine has no pnpm of that version we install it into ./.tools rather than
// globally, so a clean clone never needs a global pnpm and never changes the
// user's machine outside this folder.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

// better-sqlite3 (the sync relay's embedded store) compiles with node-gyp on
// install, which would download Node's headers: no such download works here.
// Point it at the headers installed beside this Node (Debian's and the
// official builds both ship include/node), unless the caller chose already.
const nodePrefix = join(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node_version.h')))
  env.npm_config_nodedir = nodePrefix;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function versionOf(cmd) {
  const r = spawnSync(cmd, ['--version'], { cwd: root, env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensurePnpm() {
  if (versionOf('pnpm') === pinned) return 'pnpm';
  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (!existsSync(local) || versionOf(local) !== pinned) {
    console.log(`[mtm] installing pnpm ${pinned} into .tools/ (no global install needed)`);
    run('npm', [
      'install',
      '--prefix',
      join(root, '.tools'),
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `pnpm@${pinned}`,
    ]);
  }
  // turbo finds the package manager on PATH
  env.PATH = `${dirname(local)}${delimiter}${env.PATH ?? ''}`;
  return local;
}

function install(pnpm) {
  run(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only']);
}

/** Prettier checks formatting, ESLint correctness and the web app's boundaries (eslint.config.js). */
function lint(pnpm) {
  run(pnpm, ['exec', 'prettier', '--check', '--log-level=warn', '.']);
  run(pnpm, ['exec', 'eslint', '--max-warnings=0', '.']);
  console.log('[mtm] lint: prettier and eslint found nothing');
}

const [task = 'test', ...rest] = process.argv.slice(2);
const pnpm = ensurePnpm();
install(pnpm);

switch (task) {
  case 'install':
    break;
  case 'build':
    run(pnpm, ['exec', 'turbo', 'run', 'build', ...rest]);
    break;
  case 'lint':
    lint(pnpm);
    break;
  case 'test':
    // lint first: a formatting or boundary slip fails in seconds, not after the e2e run
    lint(pnpm);
    // build first so the web app's tests and the e2e run see a finished bundle
    run(pnpm, ['exec', 'turbo', 'run', 'build', 'typecheck', 'test', '--concurrency=2', ...rest]);
    break;
  case 'bench':
    run(pnpm, ['exec', 'turbo', 'run', 'bench', '--concurrency=1', ...rest]);
    break;
  case 'start': {
    run(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@mtm/server...', '--filter=@mtm/web...']);
    const server = join(root, 'apps', 'server', 'dist', 'main.js');
    const child = spawn(process.execPath, [server, ...rest], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
    child.on('exit', (code) => process.exit(code ?? 0));
    break;
  }
  default:
    console.error(
      `[mtm] unknown task "${task}". Use: start | test | lint | build | bench | install`,
    );
    process.exit(2);
}
