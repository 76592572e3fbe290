/**
 * The services behind both transports, on a real library in a temp folder with real worker threads:
 * the dispatcher validates before anything runs, the loopback server checks its token, host and
 * paths, and a long import reports progress and can be cancelled without leaving anything behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, ServiceEvent } from '../../app/api/types';
import { type RunningServer, startServer } from '../../main/serve/server';
import { createServices, type Services } from '../../main/services/services';
import { readShared } from '../support/paths';

let dir: string;
let services: Services;
let server: RunningServer;
const token = 'test-token-0123456789abcdef';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elyte-services-'));
  mkdirStatic(join(dir, 'static'));
  services = await createServices({
    libraryPath: join(dir, 'library.sqlite'),
    version: 'test',
    transport: 'http',
    workerEntry: new URL('../../main/worker/dev-entry.mjs', import.meta.url),
    workerExecArgv: [],
    jobWorkers: 1,
  });
  server = await startServer({
    dispatch: services.dispatch,
    events: services.events,
    staticDir: join(dir, 'static'),
    token,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

function mkdirStatic(path: string): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'index.html'), '<!doctype html><title>Elyte</title>');
}

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    body,
    headers: { 'x-elyte-token': token, ...headers },
  });
}

describe('dispatcher', () => {
  it('refuses an unknown call and a malformed argument without running anything', async () => {
    const unknown = await services.dispatch('library.dropAll', {});
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    const bad = await services.dispatch('samples.create', { name: '' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/samples\.create: name/);
    const tree = await services.dispatch('library.tree', {});
    expect(tree).toMatchObject({ ok: true, value: { samples: [], unassigned: [] } });
  });
});

describe('loopback server', () => {
  it('needs the token, the loopback host name, and stays inside its folder', async () => {
    const noToken = await fetch(`http://127.0.0.1:${server.port}/api/call/app.info`, {
      method: 'POST',
      body: '{}',
    });
    expect(noToken.status).toBe(401);
    const ok = await post('/api/call/app.info', '{}');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { value: { transport: string } }).value.transport).toBe('http');
    const badJson = await post('/api/call/app.info', '{not json');
    expect(badJson.status).toBe(400);
    const traversal = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect([403, 200]).toContain(traversal.status);
    const text = await traversal.text();
    expect(text).not.toMatch(/root:/);
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});

describe('jobs', () => {
  it('imports a real file in the worker with progress events and files it in the library', async () => {
    const events: ServiceEvent[] = [];
    const unsubscribe = services.events.subscribe((event) => events.push(event));
    const bytes = readShared('biologic_mpt/exampleDataBioLogic.mpt');
    const ticket = await services.handlers['library.import']({
      files: [{ name: 'exampleDataBioLogic.mpt', bytes }],
    });
    const done = await waitFor(events, (e) => e.type === 'job.done' && e.jobId === ticket.jobId);
    unsubscribe();
    const report = (done as { result: ImportReport }).result;
    expect(report.imported).toHaveLength(1);
    expect(report.imported[0]!.rows).toBe(43);
    expect(events.some((e) => e.type === 'library.changed')).toBe(true);
    const tree = await services.handlers['library.tree']({});
    expect(tree.unassigned.map((m) => m.fileName)).toContain('exampleDataBioLogic.mpt');
  });

  it('cancels a long import: the job fails as cancelled and nothing is half-written', async () => {
    const big = largeMpt(400_000);
    const before = (await services.handlers['library.tree']({})).unassigned.length;
    const events: ServiceEvent[] = [];
    const unsubscribe = services.events.subscribe((event) => events.push(event));
    const ticket = await services.handlers['library.import']({ files: [{ name: 'big.mpt', bytes: big }] });
    await waitFor(events, (e) => e.type === 'job.progress' && e.jobId === ticket.jobId);
    expect(await services.handlers['jobs.cancel']({ jobId: ticket.jobId })).toEqual({ cancelled: true });
    const end = await waitFor(
      events,
      (e) => (e.type === 'job.done' || e.type === 'job.failed') && e.jobId === ticket.jobId,
    );
    unsubscribe();
    // The worker stops at its next check: either the job failed as cancelled, or the import
    // reports the cancellation as the file's error. Either way no measurement was added.
    const message =
      end.type === 'job.failed'
        ? end.error.kind
        : JSON.stringify((end as { result: ImportReport }).result.errors);
    expect(message).toMatch(/cancel/);
    const after = (await services.handlers['library.tree']({})).unassigned.length;
    expect(after).toBe(before);
  }, 60_000);
});

function waitFor(
  events: ServiceEvent[],
  match: (event: ServiceEvent) => boolean,
  timeoutMs = 30_000,
): Promise<ServiceEvent> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const found = events.find(match);
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error('event did not arrive'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/** A GCPL-like EC-Lab text file with `rows` data rows (header copied from the real example's layout). */
function largeMpt(rows: number): Uint8Array {
  const header = [
    'EC-Lab ASCII FILE',
    'Nb header lines : 5',
    '',
    'Galvanostatic Cycling with Potential Limitation',
    'mode\ttime/s\tEwe/V\tI/mA\tcycle number',
  ];
  const lines = [...header];
  for (let i = 0; i < rows; i++)
    lines.push(
      `1\t${i}.000\t${(3 + (i % 1000) / 1000).toFixed(6)}\t${i % 2000 < 1000 ? '1.0' : '-1.0'}\t${Math.floor(i / 2000)}`,
    );
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}
