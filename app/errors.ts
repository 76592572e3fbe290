/**
 * Errors as values a technician can act on. Every failure that crosses a module boundary is an
 * ElyteError with a kind (what went wrong, for code) and a message (what to do, for people) that names
 * the file or option at fault.
 */
export type ErrorKind =
  | 'empty' // zero-length input
  | 'truncated' // the file ends before its own header says it should
  | 'unknown-format' // no reader recognises the bytes
  | 'unsupported' // recognised, but a variant we document as unsupported
  | 'malformed' // recognised, but the content contradicts the format
  | 'too-large' // over the size guard
  | 'timeout' // over the time guard
  | 'cancelled' // the user cancelled
  | 'invalid-argument' // an option, unit or API argument failed validation
  | 'analysis' // the analysis ran but cannot produce a trustworthy number
  | 'not-found' // a library record that does not exist
  | 'conflict' // e.g. a duplicate by content hash
  | 'database'; // the library file is unusable (newer version, corrupt)

export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  /** The file name the error is about, when there is one. */
  file?: string;
  /** Where in the file or argument: "line 62", "byte 4096", "--thickness". */
  where?: string;
}

export class ElyteError extends Error {
  readonly kind: ErrorKind;
  readonly file: string | undefined;
  readonly where: string | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    details: { file?: string; where?: string } = {},
    composed = false,
  ) {
    super(composed ? message : ElyteError.compose(message, details));
    this.name = 'ElyteError';
    this.kind = kind;
    this.file = details.file;
    this.where = details.where;
  }

  /** "file.mpt, line 62: message" — the file first, so a technician sees which file at a glance. */
  private static compose(message: string, details: { file?: string; where?: string }): string {
    const place = [details.file, details.where].filter(Boolean).join(', ');
    return place ? `${place}: ${message}` : message;
  }

  /** Rebuilds an error that crossed a process boundary (its message already names the file). */
  static fromInfo(info: ErrorInfo): ElyteError {
    return new ElyteError(info.kind, info.message, info, true);
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { kind: this.kind, message: this.message };
    if (this.file !== undefined) info.file = this.file;
    if (this.where !== undefined) info.where = this.where;
    return info;
  }
}

export function isElyteError(value: unknown): value is ElyteError {
  return value instanceof ElyteError;
}

/** Converts anything thrown into ErrorInfo; unexpected errors keep their message but are marked malformed. */
export function toErrorInfo(error: unknown, file?: string): ErrorInfo {
  if (error instanceof ElyteError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  const info: ErrorInfo = { kind: 'malformed', message: file ? `${file}: ${message}` : message };
  if (file !== undefined) info.file = file;
  return info;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
