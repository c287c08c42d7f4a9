/**
 * The lazily loaded half of the browser API: msw/browser and the handlers.
 *
 * The worker is registered at the app's base URL with that scope. A scope has one service worker,
 * so offline caching and msw share it: see WORKER_URL.
 */
import { setupWorker } from 'msw/browser';
import type { ApiTarget } from './handlers';
import { createApiHandlers } from './handlers';

/**
 * The built page registers `sw.js` (scripts/offlineWorker.ts): precaching for offline use, with
 * msw's script imported for `/api/*`. The dev server keeps msw's plain worker.
 */
export const WORKER_URL = `${import.meta.env.BASE_URL}${import.meta.env.PROD ? 'sw.js' : 'mockServiceWorker.js'}`;

export async function startWorker(getTarget: () => ApiTarget | undefined): Promise<void> {
  const worker = setupWorker(...createApiHandlers(getTarget));
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'bypass',
    serviceWorker: { url: WORKER_URL, options: { scope: import.meta.env.BASE_URL } },
    findWorker: (scriptUrl) => new URL(scriptUrl).pathname === new URL(WORKER_URL, location.href).pathname,
  });
}
