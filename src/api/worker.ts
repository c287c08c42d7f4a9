/**
 * The lazily loaded half of the browser API: msw/browser and the handlers.
 *
 * The worker is registered at the app's base URL with that scope. Offline caching will have to live
 * in this same worker scope (one service worker per scope): the plan is a worker script that
 * `importScripts('mockServiceWorker.js')` and adds caching, named here as WORKER_URL (`findWorker`
 * matches by that path, so the swap is one constant).
 */
import { setupWorker } from 'msw/browser';
import type { Simulation } from '../engine';
import { createApiHandlers } from './handlers';

export const WORKER_URL = `${import.meta.env.BASE_URL}mockServiceWorker.js`;

export async function startWorker(getSimulation: () => Simulation | undefined): Promise<void> {
  const worker = setupWorker(...createApiHandlers(getSimulation));
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'bypass',
    serviceWorker: { url: WORKER_URL, options: { scope: import.meta.env.BASE_URL } },
    findWorker: (scriptUrl) => new URL(scriptUrl).pathname === new URL(WORKER_URL, location.href).pathname,
  });
}
