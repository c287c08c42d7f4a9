/**
 * Bad input from the console (issue 11): a student pastes `fetch('/api/…')` calls with forged,
 * truncated, oversized or non-JSON tokens and bodies, unknown routes and wrong methods. Every answer
 * comes from the page's service worker as a 4xx with JSON `{ error, reason }` — never a 5xx — and the
 * page keeps working: no page error, the simulation runs, You can still log in.
 */
import { expect, test, type Page } from './fixtures';

interface Probe {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** How many times to repeat `body` (built in the page, so a 1 MB body is not sent over CDP). */
  repeat?: number;
  status: number[];
}

interface Answer {
  name: string;
  status: number;
  contentType: string | null;
  body: unknown;
  challenge: string | null;
  allow: string | null;
}

async function probe(page: Page, probes: Probe[]): Promise<Answer[]> {
  return page.evaluate(async (list) => {
    const answers: Answer[] = [];
    for (const p of list) {
      const body = p.body === undefined ? undefined : p.body.repeat(p.repeat ?? 1);
      const response = await fetch(p.path, {
        method: p.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json', ...p.headers },
        ...(body !== undefined ? { body } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // left as text: the assertion below reports it
      }
      answers.push({
        name: p.name,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: parsed,
        challenge: response.headers.get('www-authenticate'),
        allow: response.headers.get('allow'),
      });
    }
    return answers;
  }, probes);
}

const CHALLENGE =
  /^Bearer realm="[\x20\x21\x23-\x5b\x5d-\x7e]*"(, error="(invalid_token|invalid_request)", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*")?$/;

test('junk sent to /api/* from the console gets 4xx answers with reasons, and the page keeps working', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto('/#mode=stateless&seed=3');
  await page.getByRole('button', { name: 'You', exact: true }).click();
  const you = page.getByRole('complementary', { name: 'You' });
  await expect(you.getByRole('button', { name: 'Log in' })).toBeEnabled({ timeout: 15_000 });

  // A real token to forge from.
  const [login] = await probe(page, [{ name: 'login', path: '/api/login', body: '{"user":"mallory"}', status: [200] }]);
  expect(login!.status).toBe(200);
  const token = (login!.body as { token: string }).token;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const admin = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' }),
  ).toString('base64url');
  const emojiAlg = Buffer.from(JSON.stringify({ alg: '\u{1F600}' })).toString('base64url');
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  const probes: Probe[] = [
    { name: 'no token', path: '/api/profile', status: [401] },
    { name: 'forged payload', path: '/api/profile', headers: bearer(`${header}.${admin}.${signature}`), status: [401] },
    { name: 'truncated token', path: '/api/profile', headers: bearer(token.slice(0, 40)), status: [401] },
    {
      name: 'alg none',
      path: '/api/cart',
      headers: bearer(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`),
      status: [401],
    },
    {
      name: 'an emoji alg',
      path: '/api/profile',
      headers: bearer(`${emojiAlg}.${payload}.${signature}`),
      status: [401],
    },
    { name: 'non-JSON token', path: '/api/token', method: 'POST', headers: bearer('bm90.anNvbg.x'), status: [401] },
    { name: 'a 1 MB token', path: '/api/profile', headers: bearer('A'.repeat(1_000_000)), status: [400] },
    { name: 'malformed Bearer', path: '/api/profile', headers: { authorization: 'Bearer a b c' }, status: [400] },
    { name: 'non-JSON body', path: '/api/login', body: '{"user": mallory}', status: [400] },
    { name: 'truncated body', path: '/api/cart/items', headers: bearer(token), body: '{"item":"pe', status: [400] },
    { name: 'a 1 MB body', path: '/api/checkout', headers: bearer(token), body: 'x', repeat: 1_000_000, status: [413] },
    { name: 'deeply nested body', path: '/api/login', body: '[', repeat: 50_000, status: [400, 413] },
    { name: 'wrong shape', path: '/api/login', body: '{"user":["<img src=x onerror=alert(1)>"]}', status: [400] },
    { name: 'unknown route', path: '/api/debug', status: [404] },
    { name: 'admin route without a token', path: '/api/admin', status: [401] },
    { name: 'unknown nested route', path: '/api/cart/items/1', method: 'DELETE', status: [404] },
    { name: 'wrong method', path: '/api/login', method: 'PUT', body: '{}', status: [405] },
    { name: 'wrong method, no body', path: '/api/profile', method: 'DELETE', status: [405] },
  ];
  const answers = await probe(page, probes);
  for (const [index, answer] of answers.entries()) {
    const expected = probes[index]!;
    expect(expected.status, `${answer.name}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`).toContain(
      answer.status,
    );
    expect(answer.contentType, answer.name).toMatch(/application\/json/);
    expect(answer.body, answer.name).toEqual({ error: expect.any(String), reason: expect.any(String) });
    if (answer.challenge !== null) expect(answer.challenge, answer.name).toMatch(CHALLENGE);
    if (answer.status === 405) expect(answer.allow, answer.name).toMatch(/^(GET, HEAD|POST)$/);
  }
  expect(answers.find((a) => a.name === 'no token')!.challenge).toBe('Bearer realm="classroom-shop"');
  // HEAD is GET without the body, through the page's service worker too.
  const [head] = await probe(page, [{ name: 'HEAD', path: '/api/profile', method: 'HEAD', status: [401] }]);
  expect(head).toMatchObject({ status: 401, body: '', challenge: 'Bearer realm="classroom-shop"' });
  expect(head!.contentType).toMatch(/application\/json/);

  // The page keeps working: the simulation runs, You logs in, and nothing went wrong in the page.
  const metrics = page.getByRole('region', { name: 'Metrics' }).first();
  await expect(metrics).toBeVisible();
  await you.getByRole('button', { name: 'Log in' }).click();
  await expect(you.getByText(/served by Server \d/)).toBeVisible();
  const [after] = await probe(page, [{ name: 'profile', path: '/api/profile', headers: bearer(token), status: [200] }]);
  expect(after!.status).toBe(200);
  expect(pageErrors).toEqual([]);
  // The browser logs each 4xx fetch as a failed resource load; nothing else may be an error.
  expect(
    consoleErrors.filter((text) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(text)),
  ).toEqual([]);
});
