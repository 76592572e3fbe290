#!/usr/bin/env node
// `npm start`: build the UI and the Electron bundles, then launch the desktop app. Where the Electron
// binary is absent (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no display), say so in one line.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(new URL(import.meta.url).pathname), '..');

const binary = electronBinary();
if (!binary) {
  console.error(
    "Electron's binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD?); run `npm run serve` to use Elyte in your browser.",
  );
  process.exit(1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('No display to open a window on; run `npm run serve` to use Elyte in your browser.');
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (!prepareNativeModules()) process.exit(1);
const run = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 0);

/**
 * better-sqlite3 in node_modules is built for Node (the CLI and the tests use it). Electron needs a
 * build for its own ABI: a copy under dist/electron/node_modules is rebuilt once per Electron
 * version, and the bundled main process and workers resolve that copy first.
 */
function prepareNativeModules() {
  const electronVersion = JSON.parse(
    readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  const target = join(root, 'dist/electron');
  const stamp = join(target, 'node_modules/.electron-abi');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return true;
  for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(root, 'node_modules', name), join(target, 'node_modules', name), { recursive: true });
  }
  writeFileSync(
    join(target, 'package.json'),
    JSON.stringify({
      name: 'elyte-electron-natives',
      private: true,
      dependencies: { 'better-sqlite3': '*' },
    }),
  );
  console.log(`building better-sqlite3 for Electron ${electronVersion} (once)…`);
  const rebuild = spawnSync(
    join(root, 'node_modules/.bin/electron-rebuild'),
    ['--module-dir', target, '--only', 'better-sqlite3', '--version', electronVersion, '--force'],
    { cwd: root, stdio: 'inherit' },
  );
  if (rebuild.status !== 0) {
    console.error(
      'could not build better-sqlite3 for Electron; `npm run serve` runs Elyte in your browser instead.',
    );
    return false;
  }
  writeFileSync(stamp, electronVersion);
  return true;
}
