/**
 * Each user's look, the same everywhere (client row, packets, session chips): an Okabe–Ito colour
 * plus a shape and the name's initial, so colour is never the only signal.
 */
export type UserShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'hexagon';

/** Okabe–Ito, colour-blind safe. Black reads as near-white on the dark theme. */
const COLOURS_LIGHT = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'] as const;
const COLOURS_DARK = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#E8E8E8'] as const;
/** Text on each colour, chosen for ≥ 4.5:1 contrast. */
const INK_LIGHT = ['#000', '#000', '#000', '#000', '#fff', '#000', '#000', '#fff'] as const;
const INK_DARK = ['#000', '#000', '#000', '#000', '#fff', '#000', '#000', '#000'] as const;
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
    ink: (dark ? INK_DARK : INK_LIGHT)[slot]!,
    shape,
    letter: (name.trim()[0] ?? '?').toUpperCase(),
  };
}

/** SVG path of a shape in a 0..24 box, shared by the DOM marks and the canvas packets. */
export function shapePath(shape: UserShape): string {
  switch (shape) {
    case 'circle': return 'M12 1a11 11 0 1 0 0.001 0Z';
    case 'square': return 'M2 2h20v20H2Z';
    case 'diamond': return 'M12 0.5 23.5 12 12 23.5 0.5 12Z';
    case 'triangle': return 'M12 1 23.5 22.5H0.5Z';
    case 'hexagon': return 'M6.5 1.5h11L23 12l-5.5 10.5h-11L1 12Z';
  }
}
