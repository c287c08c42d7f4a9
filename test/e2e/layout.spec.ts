/**
 * Reading from the back row, in the built page with the real clock running: in every view a teacher
 * shows, at 1280×720 and 1920×1080, in the light and the dark theme, no text is cut off or spills
 * out of its card, no control is drawn over another (or over the metrics' numbers, a server, a
 * notice), and stage text reaches 4.5:1. Offenders are listed by name, so a failure says what to fix.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { auditLayout, describe as describeOffences, type LayoutOffence } from './layoutAudit';

interface View {
  name: string;
  hash: string;
  /** What the teacher does after the page opens. */
  act?: (page: Page) => Promise<void>;
}

const projector = async (page: Page): Promise<void> => {
  await page.keyboard.press('p');
  await expect(page.locator('html')).toHaveClass(/projector/);
};

const VIEWS: View[] = [
  { name: 'stateful', hash: '#mode=stateful&seed=7' },
  {
    name: 'stateful, Server 2 down',
    hash: '#mode=stateful&seed=7',
    act: async (page) => {
      await page.getByRole('button', { name: /^Server 2, up/ }).click();
      await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
    },
  },
  { name: 'stateless', hash: '#mode=stateless&seed=7' },
  { name: 'shared store', hash: '#mode=stateful&store=shared&seed=7' },
  {
    name: 'shared store failed',
    hash: '#mode=stateful&store=shared&seed=7',
    act: async (page) => {
      await page.getByRole('button', { name: 'Fail session store' }).click();
      await expect(page.getByRole('button', { name: 'Recover session store' })).toBeVisible();
    },
  },
  { name: 'Compare', hash: '#mode=compare&seed=3' },
  { name: 'projector', hash: '#mode=stateful&seed=7', act: projector },
  {
    name: 'Compare + projector',
    hash: '#mode=compare&seed=3',
    act: async (page) => {
      await projector(page);
      await page
        .getByRole('region', { name: 'Stateful (sessions)' })
        .getByRole('button', { name: /^Server 2, up/ })
        .click();
    },
  },
  {
    name: 'lesson step',
    hash: '#lesson=failure&step=2',
    act: async (page) => {
      await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Step 2 of 4');
    },
  },
  { name: '8 nodes', hash: '#mode=stateful&nodes=8&seed=7' },
  { name: 'most clients', hash: '#mode=stateful&clients=200&seed=7' },
  { name: 'most clients, Compare + projector', hash: '#mode=compare&clients=200&nodes=8&seed=7', act: projector },
  {
    name: 'notices',
    hash: '#nodes=abc&clients=xyz&lb=nope',
    act: async (page) => {
      await expect(page.getByRole('button', { name: /^Dismiss notice/ })).toHaveCount(3);
    },
  },
];

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

async function open(page: Page, view: View): Promise<void> {
  await page.goto(`/${view.hash}`);
  await expect(page.getByRole('button', { name: /^Server 1/ }).first()).toBeVisible();
  // Let the room's users log in and fill the stage (the real clock runs).
  await page.waitForTimeout(2_500);
  if (view.act !== undefined) await view.act(page);
  // Crash chips fly off and fade in under a second; measure the picture that stays.
  await page.waitForTimeout(1_200);
}

async function audit(page: Page, contrast: boolean): Promise<LayoutOffence[]> {
  return page.evaluate(auditLayout, { contrast, contrastWithin: '.stage' });
}

for (const scheme of ['light', 'dark'] as const) {
  for (const size of SIZES) {
    // Dark at 1280×720 only: the layout is the same, the colours are what change.
    if (scheme === 'dark' && size.width !== 1280) continue;
    test.describe(`${size.width}×${size.height}, ${scheme} theme`, () => {
      test.use({ viewport: size, colorScheme: scheme });
      for (const view of VIEWS) {
        test(`${view.name}: nothing clipped, spilling or overlapping; stage text ≥ 4.5:1`, async ({ page }) => {
          await open(page, view);
          const offences = describeOffences(await audit(page, true));
          // LAYOUT_SHOTS=dir keeps a picture of every view, to look at with one's own eyes.
          if (process.env.LAYOUT_SHOTS)
            await page.screenshot({
              path: `${process.env.LAYOUT_SHOTS}/${size.width}-${scheme}-${view.name.replace(/\W+/g, '-')}.png`,
            });
          expect(offences).toEqual([]);
        });
      }
    });
  }
}

test('in projector mode at 1280×720 the metrics column ends inside its box: nothing the room reads sits below a scroll', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#mode=stateful&seed=7&clients=12');
  // Its button, not the P key: the page's keys listen only once it is drawn.
  await page.getByRole('button', { name: 'Projector' }).click();
  await expect(page.locator('html')).toHaveClass(/projector/);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  const metrics = page.getByRole('region', { name: 'Metrics' });
  await expect(metrics.getByText(/^401: \d+$/)).toBeVisible();
  await page.waitForTimeout(3_000);
  const { scrollHeight, clientHeight } = await metrics.evaluate((el) => ({
    scrollHeight: el.scrollHeight,
    clientHeight: el.clientHeight,
  }));
  expect(scrollHeight).toBeLessThanOrEqual(clientHeight);
});

test('the pressed mode button keeps its contrast under the pointer, in both themes', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/#mode=stateful');
    const pressed = page.getByRole('button', { name: 'Stateful (sessions)' });
    await expect(pressed).toHaveAttribute('aria-pressed', 'true');
    await pressed.hover();
    const offences = await pressed.evaluate((element) => {
      // Reuse the audit on the hovered button alone: its text over its own background.
      const parse = (c: string): number[] =>
        (/rgba?\(([^)]+)\)/.exec(c)?.[1] ?? '0 0 0')
          .split(/[\s,/]+/)
          .filter(Boolean)
          .map(Number);
      const lum = (rgb: number[]): number =>
        rgb
          .slice(0, 3)
          .map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          })
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
      const style = getComputedStyle(element);
      const [a, b] = [lum(parse(style.color)), lum(parse(style.backgroundColor))].sort((x, y) => y - x) as [
        number,
        number,
      ];
      return (a + 0.05) / (b + 0.05);
    });
    expect(offences, `${scheme} theme`).toBeGreaterThanOrEqual(4.5);
  }
});

test('the audit notices what it is meant to: a clipped label, a spilling line, two controls on top of each other, a control off screen', async ({
  page,
}) => {
  await page.goto('/#mode=stateful&seed=7');
  await expect(page.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  await page.evaluate(() => {
    const balancer = document.querySelector<HTMLElement>('.balancer-name')!;
    balancer.style.cssText = 'display:block; width:2rem; overflow:hidden; white-space:nowrap';
    const state = document.querySelector<HTMLElement>('.node-card .node-state')!;
    state.style.cssText = 'white-space:nowrap; margin-left:40rem';
    const play = [...document.querySelectorAll<HTMLElement>('.top-bar button')].find((b) =>
      b.textContent?.includes('Reset'),
    )!;
    play.style.cssText = 'position:relative; left:-6rem';
    const tab = [...document.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent?.trim() === 'Step')!;
    tab.style.cssText = 'position:fixed; left:-1rem; top:50%';
  });
  const found = describeOffences(await audit(page, false)).join('\n');
  expect(found).toMatch(/clipped: "Load balancer"/);
  expect(found).toMatch(/"up" — .* out of "Server 1, up/);
  expect(found).toMatch(/overlaps/);
  expect(found).toMatch(/clipped: "Step" — control .* partly off the screen/);
});
