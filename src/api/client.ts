/**
 * How the page's panels reach the API: wait until the worker is registered, then a plain `fetch`.
 * A context-free object so component tests can hand in a client backed by msw/node.
 */
import { apiReady, type ApiStatus } from './browser';

export interface ApiClient {
  ready: Promise<ApiStatus>;
  /** `path` starts with /api/; the answer is a real Response. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export const browserApiClient: ApiClient = {
  ready: apiReady,
  fetch: async (path, init) => {
    const status = await apiReady;
    // Without the worker, /api/* would reach the static file server and come back as HTML.
    if (!status.ok) throw new Error(status.reason);
    return fetch(path, { credentials: 'same-origin', ...init });
  },
};
