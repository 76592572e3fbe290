/**
 * The renderer reaches the services through whichever transport it finds: the Electron preload
 * bridge (window.elyte) or the loopback HTTP server of browser mode (token from the URL fragment,
 * kept in sessionStorage so a reload still works). Both speak the same contract.
 */
import type { ServiceEvent } from '../../../app/api/types';
import { decodeWire, type Envelope, encodeWire } from '../../../app/api/wire';

export interface Transport {
  kind: 'electron' | 'http';
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: ServiceEvent) => void): () => void;
}

interface ElectronBridge {
  calls: Record<string, (input: unknown) => Promise<Envelope<unknown>>>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    elyte?: ElectronBridge;
  }
}

const TOKEN_KEY = 'elyte.token';

export function findTransport(): Transport {
  const bridge = window.elyte;
  if (bridge) return electronTransport(bridge);
  return httpTransport(readToken());
}

function electronTransport(bridge: ElectronBridge): Transport {
  return {
    kind: 'electron',
    call(name, input) {
      const fn = bridge.calls[name];
      if (!fn)
        return Promise.resolve({
          ok: false,
          error: { kind: 'invalid-argument', message: `unknown API call ${name}` },
        });
      return fn(input);
    },
    subscribe: (listener) => bridge.onEvent((event) => listener(event as ServiceEvent)),
  };
}

function readToken(): string {
  const match = /token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    // Keep the token out of screenshots and the address bar once read.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(token: string): Transport {
  return {
    kind: 'http',
    async call(name, input) {
      const response = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-elyte-token': token },
        body: encodeWire(input ?? {}),
      });
      const text = await response.text();
      try {
        return decodeWire(text) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: { kind: 'malformed', message: `the server answered ${response.status} without JSON` },
        };
      }
    },
    subscribe(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) =>
        listener(decodeWire(message.data) as ServiceEvent);
      return () => source.close();
    },
  };
}
