/**
 * The few globals every runtime of app/ provides (Node, worker threads, browsers, Electron).
 * app/ compiles without DOM or Node types so that nothing platform-specific slips in;
 * these declarations are the deliberate exceptions.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
declare const performance: { now(): number };
declare function structuredClone<T>(value: T): T;
declare function queueMicrotask(callback: () => void): void;
