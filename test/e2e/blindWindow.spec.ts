/**
 * The blind window in the page (issue 10): at a slow speed, fail a node and watch its card count
 * the balancer's failed checks up to 3/3 while "Sent to a dead node" grows; then switch the
 * balancer preset to NGINX, fail it again, and see the first failed request take it out at once.
 */
import { expect, test, type Page } from './fixtures';

async function sentToDeadNode(page: Page): Promise<number> {
  const value = page
    .getByRole('region', { name: 'Metrics' })
    .locator('xpath=.//dt[normalize-space()="Sent to a dead node"]/following-sibling::dd[1]');
  return Number((await value.innerText()).trim());
}

const server2 = (page: Page) => page.getByRole('button', { name: /^Server 2,/ });

test('a dead node is counted out check by check, and NGINX takes it out at the first failure', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/#mode=stateless&sticky=0&lb=random&nodes=3&clients=60&seed=3&speed=0.5');
  await expect(server2(page)).toHaveAccessibleName(/^Server 2, up/);
  // Let traffic start, then crash Server 2.
  await expect
    .poll(() =>
      page
        .getByRole('region', { name: 'Metrics' })
        .getByText(/Sent to a dead node/)
        .count(),
    )
    .toBe(1);
  await page.waitForFunction(() => /([2-9]|\d\d)\.\d s/.test(document.body.innerText));
  expect(await sentToDeadNode(page)).toBe(0);
  await server2(page).click();
  await expect(server2(page)).toHaveAccessibleName(/crashed, balancer not yet aware/);

  // HAProxy's checks every 2 s: the card counts them, and the balancer keeps sending requests.
  await expect(server2(page).getByText('checks failed 1/3')).toBeVisible({ timeout: 15_000 });
  const atFirstCheck = await sentToDeadNode(page);
  await expect(server2(page).getByText('checks failed 2/3')).toBeVisible({ timeout: 15_000 });
  await expect(server2(page).getByText('checks failed 3/3')).toBeVisible({ timeout: 15_000 });
  await expect(server2(page)).toHaveAccessibleName(/^Server 2, down — click to recover/);
  const haproxy = await sentToDeadNode(page);
  expect(haproxy).toBeGreaterThan(atFirstCheck);
  expect(haproxy).toBeGreaterThan(20); // ≈ 10 requests/s × 2 s × 3

  // One click: NGINX's defaults. The run restarts; the same crash is noticed at its first failure.
  await page.locator('summary', { hasText: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Balancer preset' }).selectOption({ label: 'NGINX' });
  await expect(page).toHaveURL(/preset=nginx/);
  await page.keyboard.press('Escape');
  await expect(server2(page)).toHaveAccessibleName(/^Server 2, up/);
  await page.waitForFunction(() => /([2-9]|\d\d)\.\d s/.test(document.body.innerText));
  await server2(page).click();
  await expect(server2(page).getByText('failed requests 1/1')).toBeVisible({ timeout: 15_000 });
  await expect(server2(page)).toHaveAccessibleName(/^Server 2, down/);
  expect(await sentToDeadNode(page)).toBeLessThanOrEqual(2);
  await expect(page.getByText(/took Server 2 out for 10 s after a failed request/).first()).toBeVisible();
  expect(errors).toEqual([]);
});
