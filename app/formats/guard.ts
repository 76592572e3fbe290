/**
 * Size and time guards every reader runs under, so a hostile or broken file cannot hang or exhaust
 * the worker. Readers call `guard.check()` between chunks of work.
 */
import { ElyteError } from '../errors';
import type { ParseOptions } from '../measurement';

export const DEFAULT_TIME_LIMIT_MS = 120_000;
/** 4 GiB: the largest file a reader accepts (a Uint8Array past this cannot be addressed anyway). */
export const MAX_FILE_BYTES = 4 * 1024 ** 3;

export class ParseGuard {
  private readonly started = performance.now();
  private readonly limitMs: number;
  private calls = 0;

  constructor(
    private readonly fileName: string,
    private readonly options: ParseOptions = {},
  ) {
    this.limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  }

  /** Cheap enough to call per row: does the real work every 4096 calls. */
  tick(fraction?: number): void {
    if ((++this.calls & 4095) === 0) this.check(fraction);
  }

  check(fraction?: number): void {
    if (this.options.isCancelled?.()) {
      throw new ElyteError('cancelled', 'reading was cancelled', { file: this.fileName });
    }
    if (performance.now() - this.started > this.limitMs) {
      throw new ElyteError(
        'timeout',
        `reading took longer than ${Math.round(this.limitMs / 1000)} s and was stopped`,
        {
          file: this.fileName,
        },
      );
    }
    if (fraction !== undefined) this.options.onProgress?.(Math.min(1, Math.max(0, fraction)));
  }
}
