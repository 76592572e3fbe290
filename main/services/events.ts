/** Fan-out of service events (job progress, library changes) to every connected UI. */
import type { ServiceEvent } from '../../app/api/types';

export class EventHub {
  private readonly listeners = new Set<(event: ServiceEvent) => void>();

  subscribe(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ServiceEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('[elyte] event listener failed', error);
      }
    }
  }
}
