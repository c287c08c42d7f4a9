/**
 * Vite plugin: writes `sw.js`, the page's one service worker. A scope has one service worker, so
 * this single script does both jobs:
 *  1. offline use — it precaches the built app (every file of the build, listed at build time) and
 *     answers same-origin GETs for it from the cache, network as a fallback;
 *  2. the simulated API — it imports Mock Service Worker's script, which hands `/api/*` requests to
 *     the page, where the engine answers them (offline too: the engine runs in the page).
 * Our fetch listener is registered first and stops the event for app files, so msw's listener only
 * ever sees what it should. Dev mode keeps msw's plain worker.
 *
 * msw's script unregisters its worker when its last tab says goodbye (the CLIENT_CLOSED message sent
 * on beforeunload: `self.registration.unregister()`). Here that would take the precache's worker
 * with it, and a class that opens the page again the next day with the network down would get the
 * browser's offline error. So the generated worker keeps its registration: `unregister` is replaced
 * on this worker's registration object before msw's script runs (msw's own bookkeeping — which tabs
 * are mocked — goes on unchanged). A new build still replaces the worker the usual way.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

export const OFFLINE_WORKER_FILE = 'sw.js';

/** The generated worker's source, exported for a unit test. */
export { workerSource as offlineWorkerSource };

function workerSource(version: string, files: string[]): string {
  return `// Generated at build time by scripts/offlineWorker.ts — do not edit.
const CACHE = 'stateless-vs-stateful-${version}';
const APP_FILES = ${JSON.stringify(files)};
const scope = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(APP_FILES.map((file) => new URL(file, scope)))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || url.pathname.startsWith(scope.pathname + 'api/')) return;
  event.stopImmediatePropagation();
  const key = request.mode === 'navigate' ? new URL('index.html', scope) : request;
  // ignoreVary: servers send Vary: Origin, and module scripts carry an Origin the precache had not.
  event.respondWith(
    caches.match(key, { ignoreSearch: request.mode === 'navigate', ignoreVary: true }).then((cached) => cached ?? fetch(request)),
  );
});

// msw calls self.registration.unregister() when its last tab closes; this worker must stay
// registered for offline use, so that call does nothing here (see scripts/offlineWorker.ts).
const keepRegistered = () => Promise.resolve(false);
Object.defineProperty(self.registration, 'unregister', { value: keepRegistered, configurable: true });

importScripts(new URL('mockServiceWorker.js', scope).href);
`;
}

export function offlineWorker(): Plugin {
  return {
    name: 'offline-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html is already in the bundle.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((file) => !file.endsWith('.map'))
        .sort();
      files.push('mockServiceWorker.js');
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      this.emitFile({ type: 'asset', fileName: OFFLINE_WORKER_FILE, source: workerSource(version, files) });
    },
  };
}
