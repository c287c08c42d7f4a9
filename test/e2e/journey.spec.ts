/**
 * The Journey panel in the page, with its real clock: pick a user, read their requests as arrows
 * with statuses; fail the node holding their session (stateful, in memory) and the refused
 * connection, the retry and the 401 appear; rewind to before the failure and they are gone.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

function journeyList(page: Page) {
  return page.getByRole('list', { name: /^Journey of/ });
}

test('pick a user, fail their node: the 401 arrow appears; rewind: it is gone', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/#mode=stateful&store=memory&sticky=1&nodes=3&clients=4&seed=3&speed=4');

  await page.getByRole('button', { name: 'Journey' }).click();
  const picker = page.getByRole('combobox', { name: 'User' });
  await expect(picker).toBeVisible();
  // The first simulated user (the list starts with You).
  const name = (await picker.locator('option').nth(1).textContent())!;
  await picker.selectOption({ label: name });
  await expect(journeyList(page)).toHaveAccessibleName(
    new RegExp(`^Journey of ${name}: lanes ${name}, Balancer, Server 1, Server 2, Server 3`),
  );

  // Arrows with statuses: the login and what follows, answered 200 by the node holding the session.
  const ok = journeyList(page).getByRole('button', { name: /answered 200 OK, \d+ bytes$/ });
  await expect.poll(() => ok.count(), { timeout: 15_000 }).toBeGreaterThan(1);
  await expect(journeyList(page).getByText(/POST \/api\/login · \d+ B/)).toBeVisible();
  const label = (await ok.last().getAttribute('aria-label'))!;
  const home = /sent to (Server \d)/.exec(label)![1]!;

  // Fail that node: the user's next request is refused there, retried elsewhere, and answered 401.
  // The panel covers the right of the stage: click the node where it shows, as a teacher would.
  await page.getByRole('button', { name: new RegExp(`^${home}, up`) }).click({ position: { x: 20, y: 20 } });
  const unauthorized = journeyList(page).getByRole('button', { name: /answered 401 Unauthorized/ });
  await expect(unauthorized.first()).toBeVisible({ timeout: 20_000 });
  await expect(unauthorized.first().getByText(/^401 Unauthorized · \d+ B$/)).toBeVisible();
  await expect(unauthorized.first()).toHaveAccessibleName(new RegExp(`sent to ${home}, which refused it`));
  await expect(
    journeyList(page)
      .getByText(new RegExp(`${home} crashed`))
      .first(),
  ).toBeVisible();
  // The answer's arrow is drawn in vermillion.
  const stroke = await unauthorized
    .first()
    .locator('g.journey-fail line')
    .evaluate((line) => getComputedStyle(line).stroke);
  expect(stroke).toBe('rgb(213, 94, 0)');

  // Scrub back to before the failure: the 401 and the crash disappear.
  await page.getByRole('button', { name: new RegExp(`^Rewind to before ${home} failed at`) }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(unauthorized).toHaveCount(0);
  await expect(journeyList(page).getByText(/crashed/)).toHaveCount(0);
  await expect(ok.first()).toBeVisible();

  // A request opens in the Inspector.
  const id = /^#(\d+)/.exec((await ok.last().getAttribute('aria-label'))!)![1];
  await ok.last().click();
  await expect(page.getByRole('article', { name: `Request ${id}` })).toBeVisible();
  expect(errors).toEqual([]);
});
