#!/usr/bin/env node
// `npm start`: build the UI and the Electron bundles, then launch the desktop app. Where the Electron
// binary is absent (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no display), say so in one line.
import { spawnSync } from 'node:child_process';
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
const run = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 0);
