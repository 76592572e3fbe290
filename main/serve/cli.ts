/**
 * `npm run serve`: the same services as the desktop app, for a browser on this machine (no Electron
 * binary, no display, CI). Prints the URL with its per-launch token.
 *   --library PATH   library file (default $ELYTE_LIBRARY or ~/.elyte/library.sqlite)
 *   --port N         port on 127.0.0.1 (default 0: any free port)
 *   --token T        fixed token (tests); default a random 32-byte token
 *   --demo           import the reference-study demo files into an empty library
 *   --json           print one JSON line {url, port, token, libraryPath} instead of the banner
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../services/services';
import { startServer } from './server';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      library: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const libraryPath = resolve(
    values.library ?? process.env.ELYTE_LIBRARY ?? join(homedir(), '.elyte', 'library.sqlite'),
  );
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port number`);
  const token = values.token ?? randomBytes(32).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token))
    throw new Error('--token: use at least 16 characters of A–Z a–z 0–9 _ -');

  const services = await createServices({
    libraryPath,
    version: process.env.npm_package_version ?? '0.1.0',
    transport: 'http',
    workerEntry: new URL('../worker/dev-entry.mjs', import.meta.url),
    workerExecArgv: [],
  });
  if (values.demo) await services.importDemo(join(REPO_ROOT, 'examples', 'reference-study'));
  const server = await startServer({
    dispatch: services.dispatch,
    events: services.events,
    staticDir: join(REPO_ROOT, 'dist', 'renderer'),
    token,
    port,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, token, libraryPath })}\n`);
  } else {
    process.stdout.write(
      `Elyte is running at ${server.url}\nlibrary: ${libraryPath}\nPress Ctrl+C to stop.\n`,
    );
  }
  const stop = () => {
    void server
      .close()
      .then(() => services.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`elyte serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
