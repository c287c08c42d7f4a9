/** Small helpers for the plain HTTP messages the engine passes around. */
import type { HttpRequest, HttpResponse } from './types';

export function json(status: number, body: unknown, headers?: Record<string, string>): HttpResponse {
  // Most answers have no extra header: one literal, no empty object spread into another.
  if (headers === undefined) return { status, headers: { 'content-type': 'application/json' }, body };
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** Errors are JSON `{ error, reason }`: a short phrase, then the why in plain words. */
export function problem(status: number, error: string, reason: string, headers?: Record<string, string>): HttpResponse {
  return json(status, { error, reason }, headers);
}

/**
 * Cookies already read, per name then header: a client sends the same header string until its
 * cookies change, so the balancer and every node read it once (and get the same string back, whose
 * hash the session maps then reuse). Bounded: a full memo starts over.
 */
const cookieMemo = new Map<string, Map<string, string | null>>();
const COOKIE_MEMO_LIMIT = 10_000;

/** Reads one cookie from a `cookie` header (`a=1; b=2`). */
export function readCookie(cookieHeader: string | undefined, name: string): string | null {
  if (cookieHeader === undefined) return null;
  let memo = cookieMemo.get(name);
  if (memo === undefined) cookieMemo.set(name, (memo = new Map()));
  let value = memo.get(cookieHeader);
  if (value === undefined) {
    value = scanCookie(cookieHeader, name);
    if (memo.size >= COOKIE_MEMO_LIMIT) memo.clear();
    memo.set(cookieHeader, value);
  }
  return value;
}

function scanCookie(cookieHeader: string, name: string): string | null {
  // A scan without split/trim.
  let start = 0;
  const length = cookieHeader.length;
  while (start < length) {
    while (start < length && (cookieHeader.charCodeAt(start) === 32 || cookieHeader.charCodeAt(start) === 59)) start++;
    let end = cookieHeader.indexOf(';', start);
    if (end === -1) end = length;
    if (cookieHeader.startsWith(name, start) && cookieHeader.charCodeAt(start + name.length) === 61 /* = */) {
      return cookieHeader.slice(start + name.length + 1, end).trim();
    }
    start = end + 1;
  }
  return null;
}

/** Adds a `set-cookie` value to a response, joining several with ', ' (see HttpResponse). */
export function appendSetCookie(response: HttpResponse, cookie: string): void {
  const existing = response.headers['set-cookie'];
  response.headers['set-cookie'] = existing === undefined ? cookie : `${existing}, ${cookie}`;
}

/** Splits a joined `set-cookie` header into its cookies. */
export function splitSetCookie(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return value.split(/,\s*(?=[A-Za-z0-9_-]+=)/);
}

/** Reads `name=value` from a joined `set-cookie` header; '' when the cookie is being cleared. */
export function readSetCookie(value: string | undefined, name: string): string | null {
  if (value === undefined) return null;
  // One cookie (no ','): read it without splitting, as a client does this on every answer.
  if (!value.includes(',')) return readCookiePair(value, value.indexOf(';'), name);
  for (const cookie of splitSetCookie(value)) {
    const found = readCookiePair(cookie, cookie.indexOf(';'), name);
    if (found !== null) return found;
  }
  return null;
}

/** `name=value` at the start of `cookie` (up to `end`, or all of it when -1): the value, or null. */
function readCookiePair(cookie: string, end: number, name: string): string | null {
  const pair = end === -1 ? cookie : cookie.slice(0, end);
  const equals = pair.indexOf('=');
  return pair.slice(0, equals).trim() === name ? pair.slice(equals + 1).trim() : null;
}

/**
 * Size of a request on the wire as HTTP/1.1 text: request line, headers, blank line, JSON body.
 * Headers are what the message carries, so a bearer token's bytes count on every request.
 */
export function requestSizeBytes(request: HttpRequest, bodyText?: string): number {
  let size = request.method.length + request.path.length + 12; // "GET /path HTTP/1.1\r\n"
  for (const name in request.headers) size += name.length + request.headers[name]!.length + 4; // "name: value\r\n"
  size += 2;
  if (bodyText !== undefined) size += bodyText.length;
  else if (request.body !== undefined) size += JSON.stringify(request.body).length;
  return size;
}
