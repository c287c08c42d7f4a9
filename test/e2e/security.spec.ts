/**
 * Security of the built page (issue 11): its Content-Security-Policy (only its own origin, no inline
 * script, no eval) lets the simulator, Mock Service Worker and the inspector work with no violation
 * reported, while a script injected into the DOM does not run; user-supplied text never reaches the
 * DOM as HTML; and (fixtures.ts) no request leaves the origin.
 */
import { expect, test, type Page, openYou } from './fixtures';

const XSS = '<img src=x onerror="window.__xss=1">';

/** Collects CSP violations and console errors from the first script on. */
async function watch(page: Page): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const found: string[] = [];
    Object.assign(window, { __violations: found });
    document.addEventListener('securitypolicyviolation', (event) =>
      found.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      ),
    );
  });
  return {
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    errors,
  };
}

test('the built page carries a strict Content-Security-Policy of its own', async ({ page }) => {
  await page.goto('/');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const directives = new Map(
    (policy ?? '').split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(directives.get('form-action')).toEqual(["'self'"]);
  expect(directives.get('connect-src')).toEqual(["'self'"]);
  // No directive allows another origin, inline script or eval.
  for (const [name, values] of directives) {
    for (const value of values) expect(value, `${name} ${value}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:)$/);
    if (name !== 'style-src') expect(values, name).not.toContain("'unsafe-inline'");
  }
  // It comes before any script, so it governs all of them.
  const firstInHead = await page.evaluate(() => document.head.firstElementChild?.getAttribute('http-equiv'));
  expect(firstInHead).toBe('Content-Security-Policy');
});

test('under the policy the simulator runs, You log in over HTTP and the inspector opens, with no violation', async ({
  page,
}) => {
  const { violations, errors } = await watch(page);
  await page.goto('/#mode=stateful&seed=3&speed=5');
  const metrics = page.getByRole('region', { name: 'Metrics' }).first();
  await expect(metrics).toContainText('Sessions lost');
  // Time moves and requests finish (framer-motion, the packet canvas and its worker all run).
  await expect
    .poll(() => page.getByRole('region', { name: 'Metrics' }).first().innerText(), { timeout: 15_000 })
    .toMatch(/[1-9]/);
  // Fail and recover a node (framer-motion animates the card).
  const server = page.getByRole('button', { name: /^Server 1\b/ }).first();
  await server.click();
  await expect(server).toHaveAccessibleName(/down|failed|recover/i);
  await server.click();

  const panel = await openYou(page);
  const [login] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(login.status()).toBe(200);
  expect(login.fromServiceWorker()).toBe(true);
  await panel.getByRole('button', { name: 'Inspect this request' }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('rowheader', { name: 'set-cookie' })).toBeVisible();

  expect(await violations()).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  expect(errors).toEqual([]);
});

test('a script injected into the page does not run', async ({ page }) => {
  const { violations } = await watch(page);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Metrics' }).first()).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const flags = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="data:," onerror="window.__handler = 1">';
    document.body.append(holder);
    // A script from a data: URL, and a javascript: link.
    const fromData = document.createElement('script');
    fromData.src = 'data:text/javascript,window.__data=1';
    document.body.append(fromData);
    const link = document.createElement('a');
    link.href = 'javascript:window.__link=1';
    document.body.append(link);
    link.click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { inline: flags.__inline, handler: flags.__handler, data: flags.__data, link: flags.__link };
  });
  expect(outcome).toEqual({ inline: undefined, handler: undefined, data: undefined, link: undefined });
  // Each was refused by the policy, and said so. (eval is refused too — script-src has no
  // 'unsafe-eval' — but code run by Playwright's evaluate is exempt, so it cannot be shown here.)
  const reported = await violations();
  expect(reported.filter((v) => v.startsWith('script-src')).length).toBeGreaterThanOrEqual(4);
});

/** Nothing ran and no element was made from the text: it is shown as text. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
}

test('user text never becomes HTML: URL hash values, You’s user name and cart item, the tamper box', async ({
  page,
}) => {
  const { errors } = await watch(page);
  // URL hash values: a bad value is quoted back in a notice, as text.
  await page.goto(
    `/#mode=${encodeURIComponent(XSS)}&seed=${encodeURIComponent(XSS)}&lesson=${encodeURIComponent(XSS)}`,
  );
  await expect(page.getByText('<img src=x', { exact: false }).first()).toBeVisible();
  await expectInert(page);

  // You: the user name (refused by the server, its reason shown) and a cart item.
  await page.goto('/#mode=stateless&seed=3');
  let panel = await openYou(page);
  await panel.getByRole('textbox', { name: 'User name' }).fill(XSS);
  const [refused] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(refused.status()).toBe(400);
  await expectInert(page);
  await panel.getByRole('textbox', { name: 'User name' }).fill('ada');
  await panel.getByRole('button', { name: 'Log in' }).click();
  await expect(panel.getByText(/Token: \d+ bytes/)).toBeVisible();
  await panel.getByRole('textbox', { name: 'Item' }).fill(XSS);
  await panel.getByRole('button', { name: 'Add to cart' }).click();
  await expect(panel.getByRole('region', { name: 'Last response' })).toContainText(/400|item/i);
  await expectInert(page);

  // The tamper box: an edited payload whose claims carry markup, sent and decoded.
  await panel.getByRole('button', { name: 'Inspect this request' }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const tamper = inspector.getByRole('textbox', { name: /Token payload/ });
  if ((await tamper.count()) === 0) {
    panel = await openYou(page);
    await panel.getByRole('button', { name: 'View profile' }).click();
    await panel.getByRole('button', { name: 'Inspect this request' }).click();
  }
  await tamper.fill(JSON.stringify({ sub: XSS, name: XSS, role: XSS, iat: 0, exp: 9_999_999_999 }));
  await inspector.getByRole('button', { name: 'Send edited token' }).click();
  await expect(inspector.getByRole('status')).toContainText('401');
  await expectInert(page);
  // The refused requests' 4xx are logged by the browser; nothing else may be.
  expect(
    errors.filter((e) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
  ).toEqual([]);
});
