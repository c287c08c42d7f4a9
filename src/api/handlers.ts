/**
 * Mock Service Worker handlers: every real `fetch('/api/…')` becomes one `sim.send()` — through the
 * simulated balancer to a simulated node running the same route handlers as the simulated clients —
 * and the engine's answer becomes a real `Response`. The same handlers run in the page (msw/browser)
 * and in tests (msw/node).
 */
import { http, HttpResponse } from 'msw';
import type { HttpResponse as EngineResponse, Simulation } from '../engine';

/**
 * What answers `/api/*`: a Simulation itself (tests), or the page's store, whose `send` also records
 * the request on the timeline so rewinding replays it, and answers null while the clusters are
 * being rebuilt (a what-if replay).
 */
export interface ApiTarget {
  send(request: Parameters<Simulation['send']>[0]): EngineResponse | null;
}

/** 503 while there is no cluster to answer: the page retries in a moment. */
function rebuilding(): EngineResponse {
  return {
    status: 503,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
    body: { error: 'service unavailable', reason: 'the simulation is being rebuilt; try again in a moment' },
  };
}
import { cookieHeaderOf, internalError, REQUEST_ID_HEADER, responseHeaderPairs, toEngineRequest } from './convert';

export { REQUEST_ID_HEADER };

export interface ApiHandlerOptions {
  /**
   * Where `/api/*` lives. Default: the page's origin in a browser (so other sites' /api stay
   * untouched), any origin in Node, where relative URLs do not parse (see TOOLCHAIN.md).
   */
  origin?: string;
}

function toFetchResponse(response: EngineResponse, head = false): Response {
  const headers = new Headers(responseHeaderPairs(response));
  // msw's HttpResponse (not a plain Response) so msw copies mocked Set-Cookie into document.cookie.
  // A HEAD answer has the GET's status and headers and no body.
  return new HttpResponse(head ? null : JSON.stringify(response.body), { status: response.status, headers });
}

/**
 * @example
 * const server = setupServer(...createApiHandlers(() => createSimulation({ mode: 'stateless' })));
 */
export function createApiHandlers(getTarget: () => ApiTarget | undefined, options: ApiHandlerOptions = {}) {
  const origin =
    options.origin ?? (typeof location !== 'undefined' && location.origin !== 'null' ? location.origin : '*');
  async function answer(request: Request, cookies: Record<string, string>): Promise<Response> {
    const target = getTarget();
    if (target === undefined) return toFetchResponse(rebuilding());
    // Cookie is a forbidden header: in a browser neither the page nor the worker can read it, so
    // the page's own cookies (document.cookie, same origin) are what this request carries. In Node
    // the request's Cookie header is real and msw parses it (plus its cookie jar) into `cookies`.
    const cookieHeader =
      typeof document !== 'undefined'
        ? request.credentials === 'omit'
          ? null
          : document.cookie
        : cookieHeaderOf(cookies);
    const message = await toEngineRequest(request, cookieHeader);
    if ('status' in message) return toFetchResponse(message);
    // The balancer tags its answer with x-request-id: the inspector opens the engine's record by it.
    return toFetchResponse(target.send(message) ?? rebuilding(), request.method === 'HEAD');
  }
  return [
    http.all(`${origin}/api/*`, async ({ request, cookies }) => {
      try {
        return await answer(request, cookies);
      } catch (error) {
        // A bug here must not become msw's 500 with a stack trace: a generic answer, the detail in
        // the console for whoever debugs the page.
        console.error('the /api adapter failed', error);
        return toFetchResponse(internalError());
      }
    }),
  ];
}
