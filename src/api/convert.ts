/**
 * Real HTTP ⇄ engine messages. The engine speaks plain objects (lower-case headers, JSON bodies);
 * the page speaks `Request` / `Response`. Nothing here imports msw, so the page's first chunk can
 * use it (msw loads later, see browser.ts).
 */
import { splitSetCookie, type HttpRequest, type HttpResponse as EngineResponse } from '../engine';

/** Response header naming the engine's request id, so the page can open it in the inspector. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What the adapter takes, as common servers do: one header field up to 8 KiB and all of them up to
 * 32 KiB (nginx's large_client_header_buffers; it answers 400 "Request Header Or Cookie Too Large"),
 * a body up to 64 KiB (a full cart is ~2 KB), JSON nested at most 32 deep (ours nests 2).
 */
export const REQUEST_LIMITS = { headerBytes: 8 * 1024, allHeaderBytes: 32 * 1024, bodyBytes: 64 * 1024, jsonDepth: 32 };

/** The adapter's own error answers: JSON `{ error, reason }`, like the engine's. */
function adapterProblem(status: number, error: string, reason: string): EngineResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: { error, reason } };
}

/** The adapter's own answer when a body is not JSON: the engine only ever sees JSON values. */
export function badJsonBody(detail: string): EngineResponse {
  return adapterProblem(
    400,
    'bad request',
    `the body is not valid JSON (${detail}); send e.g. {"user":"you"} with content-type: application/json`,
  );
}

/** The answer when the page's adapter itself fails: generic, with no internals (no stack, no message). */
export function internalError(): EngineResponse {
  return adapterProblem(
    500,
    'internal server error',
    'the page could not answer this request; nothing about the failure is shared here. Try again, or reload the page',
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How deep JSON text nests its arrays and objects (brackets inside strings do not count). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Reads a real request into an engine request, or the adapter's 400 / 413 when it cannot be one:
 * a header over the limits, a body too large, not UTF-8, not JSON, or nested too deep.
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
  let allHeaderBytes = 0;
  for (const name in headers) {
    const bytes = name.length + headers[name]!.length;
    allHeaderBytes += bytes;
    if (bytes > REQUEST_LIMITS.headerBytes) {
      return adapterProblem(
        400,
        'bad request',
        `request header or cookie too large: ${name} is ${bytes} bytes; at most ${REQUEST_LIMITS.headerBytes} per header`,
      );
    }
  }
  if (allHeaderBytes > REQUEST_LIMITS.allHeaderBytes) {
    return adapterProblem(
      400,
      'bad request',
      `request header or cookie too large: ${allHeaderBytes} bytes of headers; at most ${REQUEST_LIMITS.allHeaderBytes} in all`,
    );
  }
  const message: HttpRequest = { method: request.method.toUpperCase(), path: url.pathname + url.search, headers };
  if (request.method === 'GET' || request.method === 'HEAD') return message;
  // Read whole: the body is in memory already (the page made it), and msw waits until it is read.
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > REQUEST_LIMITS.bodyBytes) {
    return adapterProblem(
      413,
      'content too large',
      `the body is larger than ${REQUEST_LIMITS.bodyBytes} bytes; this API takes small JSON bodies such as {"user":"you"}`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return badJsonBody('its bytes are not UTF-8');
  }
  if (text.trim() === '') return message;
  if (jsonDepth(text) > REQUEST_LIMITS.jsonDepth)
    return badJsonBody(`it nests deeper than ${REQUEST_LIMITS.jsonDepth} levels`);
  try {
    message.body = JSON.parse(text) as unknown;
  } catch (error) {
    return badJsonBody(error instanceof Error ? error.message.slice(0, 120) : 'parse error');
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
