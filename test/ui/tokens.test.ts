/**
 * The design tokens: one sheet (tokens.css) that the canvas reads too (tokens.ts). Where CSS is not
 * there, readTokens() answers the sheet's own values, so the two must never drift apart.
 */
// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLOUR_VARS, FALLBACK, SIZE_VARS, readTokens } from '../../src/ui/tokens';

const sheet = readFileSync(join(process.cwd(), 'src/ui/tokens.css'), 'utf8');

/** The first `:root { … }` block's custom properties, var() references resolved. */
function rootTokens(css: string): Map<string, string> {
  const block = /:root\s*\{([^}]*)\}/.exec(css.replace(/\/\*[\s\S]*?\*\//g, ''))?.[1] ?? '';
  const raw = new Map<string, string>();
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) raw.set(m[1] ?? '', (m[2] ?? '').trim());
  const resolve = (value: string): string =>
    value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => resolve(raw.get(name) ?? ''));
  return new Map([...raw].map(([name, value]) => [name, resolve(value).toLowerCase()]));
}

describe('tokens', () => {
  const tokens = rootTokens(sheet);

  it('names the Okabe–Ito palette', () => {
    expect(Object.fromEntries(Object.entries(COLOUR_VARS.okabe).map(([k, name]) => [k, tokens.get(name)]))).toEqual({
      orange: '#e69f00',
      sky: '#56b4e9',
      green: '#009e73',
      yellow: '#f0e442',
      blue: '#0072b2',
      vermillion: '#d55e00',
      purple: '#cc79a7',
      black: '#000000',
    });
  });

  it("falls back to exactly the sheet's values, colours and canvas sizes alike", () => {
    const groups = [
      [COLOUR_VARS.okabe, FALLBACK.okabe],
      [COLOUR_VARS.light, FALLBACK.light],
      [COLOUR_VARS.dark, FALLBACK.dark],
      [{ halo: COLOUR_VARS.halo, lessonRing: COLOUR_VARS.lessonRing }, FALLBACK],
    ] as const;
    for (const [names, values] of groups)
      for (const [key, name] of Object.entries(names))
        expect(tokens.get(name), name).toBe((values as unknown as Record<string, string>)[key]);
    for (const [key, name] of Object.entries(SIZE_VARS))
      expect(Number(tokens.get(name)), name).toBe(FALLBACK.sizes[key as keyof typeof FALLBACK.sizes]);
  });

  it('answers the literal values where custom properties are empty (jsdom)', () => {
    const t = readTokens();
    expect(t.light.fail).toBe('#b00020');
    expect(t.dark.userBlack).toBe('#e8e8e8');
    expect(t.userColours).toEqual([
      '#e69f00',
      '#56b4e9',
      '#009e73',
      '#f0e442',
      '#0072b2',
      '#d55e00',
      '#cc79a7',
      '#000000',
    ]);
    expect(t.sizes.burstRadius).toBe(21);
    expect(t.typeScale).toBeGreaterThan(0);
  });

  it('reads a value the page sets', () => {
    const box = document.createElement('div');
    box.style.setProperty('--canvas-fail-light', '#123456');
    box.style.setProperty('--canvas-burst-radius', '30');
    document.body.append(box);
    const t = readTokens(box);
    expect(t.light.fail).toBe('#123456');
    expect(t.sizes.burstRadius).toBe(30);
    box.remove();
  });
});
