/**
 * The generated service worker (scripts/offlineWorker.ts) runs msw's real worker script. When the
 * last tab closes, msw unregisters its worker; ours must stay registered, or the page does not open
 * offline the next day. This runs the generated sw.js with msw's script in a fake worker scope and
 * sends it the goodbye of the last tab.
 */
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { offlineWorkerSource } from '../../scripts/offlineWorker';

const MSW_WORKER = readFileSync('node_modules/msw/lib/mockServiceWorker.js', 'utf8');

function runWorker(source: string) {
  const listeners = new Map<string, ((event: unknown) => unknown)[]>();
  const unregister = vi.fn(() => Promise.resolve(true));
  const registration = { scope: 'http://127.0.0.1/', unregister };
  const tab = { id: 'tab-1', frameType: 'top-level', postMessage: vi.fn() };
  const open = [tab];
  const scope: Record<string, unknown> = {
    registration,
    clients: {
      get: async (id: string) => open.find((c) => c.id === id),
      matchAll: async () => open,
      claim: async () => {},
    },
    addEventListener: (type: string, listener: (event: unknown) => unknown) =>
      listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    importScripts: () => runInContext(MSW_WORKER, context),
    skipWaiting: () => {},
    // msw answers a tab over a MessageChannel; the fake tab never replies.
    MessageChannel: class {
      port1 = { onmessage: null, close() {} };
      port2 = {};
    },
    URL,
    Promise,
    Symbol,
    Set,
    Map,
    Reflect,
    Object,
    JSON,
    console,
    crypto: globalThis.crypto,
  };
  scope.self = scope;
  const context = createContext(scope);
  runInContext(source, context);
  const message = async (data: string) => {
    for (const listener of listeners.get('message') ?? []) await listener({ data, source: { id: tab.id } });
  };
  return { unregister, message, listeners };
}

describe('the offline service worker', () => {
  it('msw on its own unregisters its worker when the last tab closes (what we guard against)', async () => {
    const worker = runWorker(`importScripts('mockServiceWorker.js');`);
    await worker.message('MOCK_ACTIVATE');
    await worker.message('CLIENT_CLOSED');
    expect(worker.unregister).toHaveBeenCalledOnce();
  });

  it('stays registered when the last tab closes, with msw running inside it', async () => {
    const worker = runWorker(offlineWorkerSource('test', ['index.html']));
    // msw's listeners are there (it still answers the API)…
    expect(worker.listeners.get('fetch')).toHaveLength(2);
    await worker.message('MOCK_ACTIVATE');
    await worker.message('CLIENT_CLOSED');
    // …but its goodbye no longer removes the registration (and with it the precache's worker).
    expect(worker.unregister).not.toHaveBeenCalled();
  });
});
