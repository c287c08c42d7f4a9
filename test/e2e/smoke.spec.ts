import { expect, test } from './fixtures';

test('the page loads with its title and no console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeVisible();
  expect(errors).toEqual([]);
});
