/**
 * A door into the inspector for the rest of the page (e.g. the stage, when a moving packet is
 * clicked), without sharing the side panels' store: dispatch a request id, the panels open it.
 * @example
 * openInspector({ cluster: 'stateful', requestId: 42 });
 */
import type { RequestRef } from './inspectStore';

const requests = new EventTarget();
const EVENT = 'inspect-request';

export function openInspector(ref: RequestRef): void {
  requests.dispatchEvent(new CustomEvent<RequestRef>(EVENT, { detail: ref }));
}

export function onOpenInspector(listener: (ref: RequestRef) => void): () => void {
  const handle = (event: Event) => listener((event as CustomEvent<RequestRef>).detail);
  requests.addEventListener(EVENT, handle);
  return () => requests.removeEventListener(EVENT, handle);
}
