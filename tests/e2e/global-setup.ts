import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Builds the renderer once for the whole run (the servers the tests start serve dist/renderer). */
export default function globalSetup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(
      `Chromium not found at ${chromium}: install Debian's package with \`apt-get install -y chromium\``,
    );
  }
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
