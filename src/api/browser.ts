/**
 * Starts Mock Service Worker in the page — production builds too — so `fetch('/api/…')` reaches the
 * simulated cluster. msw's browser code is big: it is imported only after the first paint, in its
 * own chunk (worker.ts). Everything that fetches the API awaits `apiReady` first, so no request
 * can overtake the worker's registration.
 */
import type { ApiTarget } from './handlers';

export type ApiStatus = { ok: true } | { ok: false; reason: string };

let settle: (status: ApiStatus) => void = () => {};
/** Settles once: ok when the worker answers `/api/*`, or why it cannot (file://, no service workers…). */
export const apiReady: Promise<ApiStatus> = new Promise((resolve) => {
  settle = resolve;
});

/** Why this page cannot register a service worker, or null when it can. */
export function serviceWorkerUnavailableReason(): string | null {
  if (location.protocol === 'file:')
    return 'the page was opened from a file (file://): service workers need http:// or https://. Serve it, e.g. npm run preview.';
  if (!window.isSecureContext)
    return 'this page is not a secure context: service workers need https:// (or localhost).';
  if (!('serviceWorker' in navigator))
    return 'this browser has no service workers (or they are disabled, e.g. in a private window).';
  return null;
}

let started = false;

/** Registers the worker after the first paint; safe to call more than once. */
export function startApi(getTarget: () => ApiTarget | undefined): Promise<ApiStatus> {
  if (started) return apiReady;
  started = true;
  const reason = serviceWorkerUnavailableReason();
  if (reason !== null) {
    settle({ ok: false, reason });
    return apiReady;
  }
  // One frame, then a task: the first paint is on screen before the big chunk is fetched.
  requestAnimationFrame(() =>
    setTimeout(() => {
      import('./worker')
        .then(({ startWorker }) => startWorker(getTarget))
        .then(
          () => settle({ ok: true }),
          (error: unknown) => {
            settle({
              ok: false,
              reason: `the service worker could not start (${error instanceof Error ? error.message : String(error)}).`,
            });
          },
        );
    }, 0),
  );
  return apiReady;
}
