/**
 * Each user's look, the same everywhere (client row, packets, session chips): an Okabe–Ito colour
 * plus a shape and the name's initial, so colour is never the only signal.
 */
export type UserShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'hexagon';

/** Okabe–Ito, colour-blind safe. Black reads as near-white on the dark theme. */
const COLOURS_LIGHT = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'] as const;
const COLOURS_DARK = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#E8E8E8'] as const;
const SHAPES: readonly UserShape[] = ['circle', 'square', 'diamond', 'triangle', 'hexagon'];

export interface UserLook {
  /** 0-based index of the client ('c12' → 11); -1 for the page's own "You" client. */
  index: number;
  colour: string;
  ink: string;
  shape: UserShape;
  letter: string;
}

export function clientIndex(clientId: string): number {
  const match = /^c(\d+)$/.exec(clientId);
  return match === null ? -1 : Number(match[1]) - 1;
}

/**
 * @example
 * userLook('c1', 'Ada', false) // { colour: '#E69F00', shape: 'circle', letter: 'A', … }
 */
export function userLook(clientId: string, name: string, dark: boolean): UserLook {
  const index = clientIndex(clientId);
  const slot = index < 0 ? 7 : index % COLOURS_LIGHT.length;
  const shape = index < 0 ? 'square' : SHAPES[Math.floor(index / COLOURS_LIGHT.length) % SHAPES.length]!;
  return {
    index,
    colour: (dark ? COLOURS_DARK : COLOURS_LIGHT)[slot]!,
    ink: inkOn((dark ? COLOURS_DARK : COLOURS_LIGHT)[slot]!),
    shape,
    letter: (name.trim()[0] ?? '?').toUpperCase(),
  };
}

/** WCAG relative luminance of a '#rgb' or '#rrggbb' colour. */
export function luminance(hex: string): number {
  const digits = hex.replace('#', '');
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const channel = (at: number): number => {
    const c = parseInt(full.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const inks = new Map<string, string>();
/**
 * Text drawn on a colour: black or white, whichever has the higher contrast (every Okabe–Ito
 * colour then reaches at least 4.5:1).
 * @example
 * inkOn('#0072B2') // '#fff'
 * inkOn('#E69F00') // '#000'
 */
export function inkOn(colour: string): string {
  let ink = inks.get(colour);
  if (ink === undefined) {
    ink = contrastRatio(colour, '#000') >= contrastRatio(colour, '#fff') ? '#000' : '#fff';
    inks.set(colour, ink);
  }
  return ink;
}

/** SVG path of a shape in a 0..24 box, shared by the DOM marks and the canvas packets. */
export function shapePath(shape: UserShape): string {
  switch (shape) {
    case 'circle':
      return 'M12 1a11 11 0 1 0 0.001 0Z';
    case 'square':
      return 'M2 2h20v20H2Z';
    case 'diamond':
      return 'M12 0.5 23.5 12 12 23.5 0.5 12Z';
    case 'triangle':
      return 'M12 1 23.5 22.5H0.5Z';
    case 'hexagon':
      return 'M6.5 1.5h11L23 12l-5.5 10.5h-11L1 12Z';
  }
}
