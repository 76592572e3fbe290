/**
 * Browser mode: the same services as the desktop app, over HTTP on 127.0.0.1 only. Every API request
 * must carry the per-launch token (header `x-elyte-token`, or `?token=` for the event stream, which
 * EventSource cannot give headers); the Host header must be the loopback address we bound, which
 * defeats DNS-rebinding pages. Static files are the built renderer.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { decodeWire, type Envelope, encodeWire } from '../../app/api/wire';
import type { ErrorKind } from '../../app/errors';
import type { Dispatch } from '../services/dispatch';
import type { EventHub } from '../services/events';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface ServeOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  token: string;
  /** 0 = a free port chosen by the system. */
  port?: number;
  /** Largest request body accepted (default 1 GiB: instrument files travel base64-encoded). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const STATUS_BY_KIND: Partial<Record<ErrorKind, number>> = {
  'invalid-argument': 400,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unknown-format': 422,
  unsupported: 422,
  malformed: 422,
  truncated: 422,
  empty: 422,
  analysis: 422,
};

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const staticRoot = resolve(options.staticDir);
  const maxBody = options.maxBodyBytes ?? 1024 ** 3;
  let boundPort = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[elyte] request failed', error);
      if (!response.headersSent)
        sendJson(response, 500, { ok: false, error: { kind: 'malformed', message: 'internal error' } });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    const host = request.headers.host ?? '';
    if (host !== `${HOST}:${boundPort}` && host !== `localhost:${boundPort}`) {
      sendJson(response, 403, refusal('requests must be addressed to the loopback address'));
      return;
    }
    const url = new URL(request.url ?? '/', `http://${HOST}:${boundPort}`);
    if (url.pathname.startsWith('/api/')) {
      const token =
        (request.headers['x-elyte-token'] as string | undefined) ?? url.searchParams.get('token') ?? '';
      if (!tokensEqual(token, options.token)) {
        sendJson(
          response,
          401,
          refusal('missing or wrong API token: open the URL printed by `npm run serve`'),
        );
        return;
      }
      if (url.pathname === '/api/events' && request.method === 'GET') {
        streamEvents(response);
        return;
      }
      const match = /^\/api\/call\/([a-z][a-zA-Z.]*)$/.exec(url.pathname);
      if (!match || request.method !== 'POST') {
        sendJson(response, 404, {
          ok: false,
          error: { kind: 'not-found', message: `no API route ${url.pathname}` },
        });
        return;
      }
      await handleCall(match[1]!, request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    serveStatic(url.pathname, response);
  }

  async function handleCall(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    let input: unknown;
    try {
      const body = await readBody(request, maxBody);
      input = body.length === 0 ? {} : decodeWire(body.toString('utf8'));
    } catch (error) {
      const tooLarge = error instanceof Error && error.message === 'too-large';
      sendJson(
        response,
        tooLarge ? 413 : 400,
        refusal(
          tooLarge ? `request body over ${maxBody} bytes` : 'request body is not valid JSON',
          tooLarge ? 'too-large' : 'invalid-argument',
        ),
      );
      return;
    }
    const envelope = await options.dispatch(name, input);
    sendJson(response, envelope.ok ? 200 : (STATUS_BY_KIND[envelope.error.kind] ?? 500), envelope);
  }

  function streamEvents(response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((event) => response.write(`data: ${encodeWire(event)}\n\n`));
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15000);
    response.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  function serveStatic(pathname: string, response: ServerResponse): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let path = join(staticRoot, relative || 'index.html');
    // Resolved paths are compared as whole path prefixes, never as substrings.
    if (path !== staticRoot && !path.startsWith(staticRoot + sep)) {
      response.writeHead(403).end();
      return;
    }
    if (!existsSync(path) || statSync(path).isDirectory()) path = join(staticRoot, 'index.html');
    if (!existsSync(path)) {
      response
        .writeHead(503, { 'Content-Type': 'text/plain' })
        .end('The UI is not built: run `npm run serve`.');
      return;
    }
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    response.writeHead(200, headers);
    createReadStream(path).pipe(response);
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      boundPort = (server.address() as AddressInfo).port;
      resolvePromise({
        server,
        port: boundPort,
        url: `http://${HOST}:${boundPort}/#token=${options.token}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function refusal(message: string, kind: ErrorKind = 'invalid-argument'): Envelope<never> {
  return { ok: false, error: { kind, message } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = encodeWire(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('too-large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolvePromise(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
