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
 * Reads one cookie from a `cookie` header (`a=1; b=2`). Scanned every time, not remembered: a
 * browser's cookie header is a few dozen characters, and reading them costs less than looking the
 * header up in a table of a thousand clients' headers (measured with `npm run bench`).
 */
export function readCookie(cookieHeader: string | undefined, name: string): string | null {
  return cookieHeader === undefined ? null : scanCookie(cookieHeader, name);
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
  else if (request.body !== undefined) size += jsonLength(request.body);
  return size;
}

/**
 * `JSON.stringify(value).length`, counted without building the text: every simulated request's
 * body is sized. Plain data of strings, numbers, booleans, null, arrays and plain objects is
 * counted here; anything else (toJSON, class instances, unusual characters, deep nesting) is
 * handed to JSON.stringify itself. test/engine/http.test.ts checks it against JSON.stringify.
 */
export function jsonLength(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string': {
      let length = value.length + 2;
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code === 0x22 || code === 0x5c) length++;
        else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(value).length;
      }
      return length;
    }
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (depth > 16) return JSON.stringify(value).length;
      if (Array.isArray(value)) {
        let length = 2 + Math.max(0, value.length - 1);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          length +=
            item === undefined || typeof item === 'function' || typeof item === 'symbol'
              ? 4
              : jsonLength(item, depth + 1);
        }
        return length;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value)
        return JSON.stringify(value).length;
      let length = 2;
      let members = 0;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        length += jsonLength(key) + 1 + jsonLength(item, depth + 1);
        members++;
      }
      return length + Math.max(0, members - 1);
    }
    default:
      return JSON.stringify(value).length;
  }
}
