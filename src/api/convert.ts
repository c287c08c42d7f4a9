/**
 * Real HTTP ⇄ engine messages. The engine speaks plain objects (lower-case headers, JSON bodies);
 * the page speaks `Request` / `Response`. Nothing here imports msw, so the page's first chunk can
 * use it (msw loads later, see browser.ts).
 */
import { splitSetCookie, type HttpRequest, type HttpResponse as EngineResponse } from '../engine';

/** Response header naming the engine's request id, so the page can open it in the inspector. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The adapter's own answer when a body is not JSON: the engine only ever sees JSON values. */
export function badJsonBody(detail: string): EngineResponse {
  return {
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: {
      error: 'bad request',
      reason: `the body is not valid JSON (${detail}); send e.g. {"user":"you"} with content-type: application/json`,
    },
  };
}

/**
 * Reads a real request into an engine request, or a 400 when its body is not JSON.
 * `cookieHeader` is passed in because browsers hide the Cookie header from scripts and workers.
 * @example
 * const message = await toEngineRequest(new Request('http://x/api/cart?a=1'), 'sid=abc');
 * // { method: 'GET', path: '/api/cart?a=1', headers: { cookie: 'sid=abc', … } }
 */
export async function toEngineRequest(
  request: Request,
  cookieHeader: string | null,
): Promise<HttpRequest | EngineResponse> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name !== 'cookie') headers[name.toLowerCase()] = value;
  });
  if (cookieHeader !== null && cookieHeader !== '') headers.cookie = cookieHeader;
  const message: HttpRequest = { method: request.method.toUpperCase(), path: url.pathname + url.search, headers };
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  if (text.trim() === '') return message;
  try {
    message.body = JSON.parse(text) as unknown;
  } catch (error) {
    return badJsonBody(error instanceof Error ? error.message : 'parse error');
  }
  return message;
}

/** Header pairs for a real Response; each `set-cookie` separately, as browsers expect. */
export function responseHeaderPairs(response: EngineResponse): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(response.headers)) {
    if (name === 'set-cookie') for (const cookie of splitSetCookie(value)) pairs.push([name, cookie]);
    else pairs.push([name, value]);
  }
  return pairs;
}

/** Serialises a cookie record the way a browser writes its Cookie header. */
export function cookieHeaderOf(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}
