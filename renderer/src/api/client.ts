/**
 * The typed client: `api.call('library.tree', {...})` is checked against the contract at compile
 * time; failures arrive as ApiError with the service's kind and message. Jobs (imports, analyses)
 * resolve when their done/failed event arrives, with progress on the way.
 */
import type { CallInput, CallName, CallOutput } from '../../../app/api/contract';
import type { JobTicket, ServiceEvent } from '../../../app/api/types';
import type { ErrorInfo } from '../../../app/errors';
import { findTransport, type Transport } from './transport';

export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
  }
}

export interface JobProgress {
  fraction: number;
  message: string;
}

export class ApiClient {
  private readonly listeners = new Set<(event: ServiceEvent) => void>();

  constructor(private readonly transport: Transport) {
    transport.subscribe((event) => {
      for (const listener of this.listeners) listener(event);
    });
  }

  get transportKind(): Transport['kind'] {
    return this.transport.kind;
  }

  async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    const envelope = await this.transport.call(name, input);
    if (!envelope.ok) throw new ApiError(envelope.error);
    return envelope.value as CallOutput<K>;
  }

  onEvent(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts a job call and waits for its outcome. The listener is attached before the call so a fast
   * job's events are never missed; events for other jobs are ignored.
   */
  async runJob<K extends CallName, R>(
    name: K,
    input: CallInput<K>,
    onProgress?: (progress: JobProgress) => void,
    onStarted?: (jobId: string) => void,
  ): Promise<R> {
    const early: ServiceEvent[] = [];
    let jobId: string | null = null;
    let settle: ((event: ServiceEvent) => void) | null = null;
    const unsubscribe = this.onEvent((event) => {
      if (!('jobId' in event)) return;
      if (jobId === null) early.push(event);
      else if (event.jobId === jobId) settle?.(event);
    });
    try {
      const ticket = (await this.call(name, input)) as unknown as JobTicket;
      jobId = ticket.jobId;
      onStarted?.(jobId);
      return await new Promise<R>((resolve, reject) => {
        settle = (event) => {
          if (event.type === 'job.progress')
            onProgress?.({ fraction: event.fraction, message: event.message });
          else if (event.type === 'job.done') resolve(event.result as R);
          else if (event.type === 'job.failed') reject(new ApiError(event.error));
        };
        for (const event of early) if ('jobId' in event && event.jobId === jobId) settle(event);
      });
    } finally {
      unsubscribe();
    }
  }
}

export const api = new ApiClient(findTransport());
