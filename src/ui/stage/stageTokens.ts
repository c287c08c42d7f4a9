/**
 * What the stage's canvases draw with, from the page's design tokens (tokens.css through
 * readTokens()): the cards are styled by CSS, the canvases read the same sheet through this door.
 * Plain strings and numbers, so a frame's draw list can carry them to the packet worker.
 */
import { FALLBACK, readTokens, type CanvasColours, type CanvasSizes } from '../tokens';

export interface StageTokens {
  light: CanvasColours;
  dark: CanvasColours;
  /** Under a dark key, so it stands out on the dark stage. */
  halo: string;
  /** CSS px per 16 px of type: multiply by the stage's scale. */
  sizes: CanvasSizes;
  /** The page's root font size ÷ 16 (projector mode makes it bigger). */
  typeScale: number;
}

/** One theme's canvas colours, plus the halo. */
export type StagePalette = CanvasColours & { halo: string };

export const STAGE_TOKENS_FALLBACK: StageTokens = {
  light: FALLBACK.light,
  dark: FALLBACK.dark,
  halo: FALLBACK.halo,
  sizes: FALLBACK.sizes,
  typeScale: 1,
};

/** Read on resize and theme change, never per frame (it costs a style recalculation). */
export function readStageTokens(): StageTokens {
  const { light, dark, halo, sizes, typeScale } = readTokens();
  return { light, dark, halo, sizes, typeScale };
}

export function paletteOf(tokens: StageTokens, dark: boolean): StagePalette {
  return { ...(dark ? tokens.dark : tokens.light), halo: tokens.halo };
}
