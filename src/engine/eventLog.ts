/**
 * What the engine tells the page: the event stream (listeners, and a ring of the most recent
 * events), and the inspector's full records of the most recent requests.
 * Events are built only when someone reads them (`observed`): a benchmark with no listener and no
 * log pays nothing for them.
 */
import type { CredentialKind, HttpRequest, RequestRecord, SimEvent } from './types';

export class EventLog {
  /** Whether anyone reads events: check it before building one. */
  observed: boolean;
  private listeners = new Set<(event: SimEvent) => void>();
  /** The last `size` events; once full, `start` is the oldest. */
  private readonly ring: SimEvent[] = [];
  private start = 0;

  constructor(private readonly size: number) {
    this.observed = size > 0;
  }

  emit(event: SimEvent): void {
    const size = this.size;
    if (size > 0) {
      if (this.ring.length < size) this.ring.push(event);
      else {
        this.ring[this.start] = event;
        this.start = (this.start + 1) % size;
      }
    }
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    this.observed = true;
    return () => {
      this.listeners.delete(listener);
      this.observed = this.listeners.size > 0 || this.size > 0;
    };
  }

  /** The kept events, oldest first. */
  recent(): SimEvent[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  /** What a fork may share with the original: the events (immutable) and, for the copy step, the listeners. */
  shared(): object[] {
    return [this.listeners, ...this.ring];
  }

  /** What a packed copy leaves for the receiver to bring: the listeners (the page's, on this side). */
  packShared(): object {
    return this.listeners;
  }

  /** A fork starts with no listeners: the page's belong to the original. */
  dropListeners(): void {
    this.listeners = new Set();
    this.observed = this.size > 0;
  }
}

/**
 * The last `size` requests in full, for the inspector. Requests are numbered one after another as
 * they are sent (the pipeline's only counter), so the last `size` of them sit in a ring by their id:
 * request n in slot n mod size, until request n + size takes it — no map to update per request.
 */
export class RequestRecords {
  private readonly ring: (RequestRecord | null)[];

  constructor(private readonly size: number) {
    this.ring = new Array<RequestRecord | null>(size).fill(null);
  }

  /** Starts the record of a request just sent, or null when the engine keeps none. */
  open(
    id: number,
    client: string,
    request: HttpRequest,
    sizeBytes: number,
    credential: CredentialKind,
    sentAt: number,
  ): RequestRecord | null {
    if (this.size === 0) return null;
    const record: RequestRecord = {
      id,
      client,
      request,
      response: null,
      sizeBytes,
      credential,
      node: null,
      attempts: 1,
      sentAt,
      startedAt: null,
      finishedAt: null,
      queuedMs: null,
      latencyMs: null,
    };
    this.ring[id % this.size] = record;
    return record;
  }

  /** A copy of one kept record (the caller may keep or change it), or null. */
  get(id: number): RequestRecord | null {
    if (!Number.isInteger(id) || id < 1 || this.size === 0) return null;
    const record = this.ring[id % this.size];
    return record?.id === id ? (JSON.parse(JSON.stringify(record)) as RequestRecord) : null;
  }
}
