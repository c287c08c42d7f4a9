/**
 * The design tokens (tokens.css) for code that paints without CSS: the stage's canvas, SVG marks.
 * `readTokens()` reads the custom properties off the page; where they are empty (jsdom, a worker, a
 * page without the sheet) it answers the same literal values, so a drawing never goes colourless.
 * Keep FALLBACK in step with tokens.css (test/ui/tokens.test.ts checks they agree).
 */

/** The Okabe–Ito palette, in the order users take their colours (userStyle.ts). */
export interface OkabeIto {
  orange: string;
  sky: string;
  green: string;
  yellow: string;
  blue: string;
  vermillion: string;
  purple: string;
  black: string;
}

/** The colours the canvas draws with in one theme. */
export interface CanvasColours {
  /** Outlines of packets and keys. */
  ink: string;
  /** Failed and refused requests, failure bursts. */
  fail: string;
  /** The fill of a request with no credential yet (a hollow dot). */
  hollow: string;
  /** The status number on a failure burst. */
  burstText: string;
  /** Client → balancer edges. */
  edge: string;
  /** Balancer → node edges, node up. */
  nodeEdge: string;
  /** Balancer → node edges, node down (dashed). */
  downEdge: string;
  /** A user mark's outline. */
  markOutline: string;
  /** The eighth user colour (Okabe–Ito black) in this theme. */
  userBlack: string;
}

/** Canvas sizes in CSS px per 16 px of type: multiply by `typeScale`. */
export interface CanvasSizes {
  line: number;
  dotRadius: number;
  dotEmptyLine: number;
  answerRadius: number;
  failRadius: number;
  failFont: number;
  keyHeight: number;
  keyBow: number;
  keyShaftMin: number;
  keyShaftMax: number;
  keyFont: number;
  haloLine: number;
  burstRadius: number;
  burstFont: number;
  edgeLine: number;
  nodeEdgeLine: number;
  edgeDash: number;
  hitRadius: number;
}

export interface Tokens {
  okabe: OkabeIto;
  /** `okabe` as a list, in user order (c1 takes [0], c8 takes [7]). */
  userColours: readonly string[];
  light: CanvasColours;
  dark: CanvasColours;
  /** Under a dark key, so it stands out on the dark stage. */
  halo: string;
  /** The ring around what a lesson step points at. */
  lessonRing: string;
  /** The "!" on a warning icon. */
  warningInk: string;
  sizes: CanvasSizes;
  /** The page's root font size ÷ 16: 1 at 1280×720, 1.5 at 1920×1080, ~1.2× more in projector mode. */
  typeScale: number;
}

/** Custom property names, so tokens.css and this file can be checked against each other. */
const COLOUR_VARS = {
  okabe: {
    orange: '--okabe-orange',
    sky: '--okabe-sky',
    green: '--okabe-green',
    yellow: '--okabe-yellow',
    blue: '--okabe-blue',
    vermillion: '--okabe-vermillion',
    purple: '--okabe-purple',
    black: '--okabe-black',
  },
  light: {
    ink: '--canvas-ink-light',
    fail: '--canvas-fail-light',
    hollow: '--canvas-hollow-light',
    burstText: '--canvas-burst-text-light',
    edge: '--canvas-edge-light',
    nodeEdge: '--canvas-node-edge-light',
    downEdge: '--canvas-down-edge-light',
    markOutline: '--mark-outline-light',
    userBlack: '--okabe-black',
  },
  dark: {
    ink: '--canvas-ink-dark',
    fail: '--canvas-fail-dark',
    hollow: '--canvas-hollow-dark',
    burstText: '--canvas-burst-text-dark',
    edge: '--canvas-edge-dark',
    nodeEdge: '--canvas-node-edge-dark',
    downEdge: '--canvas-down-edge-dark',
    markOutline: '--mark-outline-dark',
    userBlack: '--user-black-dark',
  },
  halo: '--canvas-halo',
  lessonRing: '--lesson-ring',
  warningInk: '--warning-ink',
} as const;

export const SIZE_VARS: Readonly<Record<keyof CanvasSizes, string>> = {
  line: '--canvas-line',
  dotRadius: '--canvas-dot-radius',
  dotEmptyLine: '--canvas-dot-empty-line',
  answerRadius: '--canvas-answer-radius',
  failRadius: '--canvas-fail-radius',
  failFont: '--canvas-fail-font',
  keyHeight: '--canvas-key-height',
  keyBow: '--canvas-key-bow',
  keyShaftMin: '--canvas-key-shaft-min',
  keyShaftMax: '--canvas-key-shaft-max',
  keyFont: '--canvas-key-font',
  haloLine: '--canvas-halo-line',
  burstRadius: '--canvas-burst-radius',
  burstFont: '--canvas-burst-font',
  edgeLine: '--canvas-edge-line',
  nodeEdgeLine: '--canvas-node-edge-line',
  edgeDash: '--canvas-edge-dash',
  hitRadius: '--canvas-hit-radius',
};

/** The values of tokens.css (light theme for the page-level ones), for where CSS is not there. */
export const FALLBACK: Omit<Tokens, 'userColours' | 'typeScale'> = {
  okabe: {
    orange: '#e69f00',
    sky: '#56b4e9',
    green: '#009e73',
    yellow: '#f0e442',
    blue: '#0072b2',
    vermillion: '#d55e00',
    purple: '#cc79a7',
    black: '#000000',
  },
  light: {
    ink: '#1a1a1a',
    fail: '#b00020',
    hollow: '#ffffff',
    burstText: '#ffffff',
    edge: 'rgb(26 26 26 / 0.18)',
    nodeEdge: 'rgb(26 26 26 / 0.35)',
    downEdge: 'rgb(26 26 26 / 0.3)',
    markOutline: '#000000',
    userBlack: '#000000',
  },
  dark: {
    ink: '#e8e8e8',
    fail: '#ff8a8a',
    hollow: '#111111',
    burstText: '#000000',
    edge: 'rgb(232 232 232 / 0.22)',
    nodeEdge: 'rgb(232 232 232 / 0.45)',
    downEdge: 'rgb(232 232 232 / 0.35)',
    markOutline: '#ffffff',
    userBlack: '#e8e8e8',
  },
  halo: '#ffffff',
  lessonRing: '#cc79a7',
  warningInk: '#ffffff',
  sizes: {
    line: 1.5,
    dotRadius: 6.5,
    dotEmptyLine: 3,
    answerRadius: 5,
    failRadius: 7,
    failFont: 15,
    keyHeight: 13,
    keyBow: 9,
    keyShaftMin: 22,
    keyShaftMax: 60,
    keyFont: 10,
    haloLine: 4.5,
    burstRadius: 21,
    burstFont: 13,
    edgeLine: 1.5,
    nodeEdgeLine: 2,
    edgeDash: 6,
    hitRadius: 18,
  },
};

const BASE_FONT_PX = 16;

function readColours<K extends string>(
  style: CSSStyleDeclaration | null,
  names: Readonly<Record<K, string>>,
  fallback: Readonly<Record<K, string>>,
): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(names) as K[]) {
    const value = style?.getPropertyValue(names[key]).trim() ?? '';
    out[key] = value === '' ? fallback[key] : value;
  }
  return out;
}

/**
 * The tokens as the page has them now (read once per layout change, not per frame: it costs a
 * style recalculation).
 *
 * @example
 * const t = readTokens();
 * ctx.fillStyle = dark ? t.dark.fail : t.light.fail;
 * ctx.arc(x, y, t.sizes.failRadius * t.typeScale, 0, Math.PI * 2);
 */
export function readTokens(root?: Element): Tokens {
  const element = root ?? (typeof document === 'undefined' ? undefined : document.documentElement);
  const style = element === undefined || typeof getComputedStyle === 'undefined' ? null : getComputedStyle(element);
  const okabe = readColours(style, COLOUR_VARS.okabe, FALLBACK.okabe);
  const sizes = {} as CanvasSizes;
  for (const key of Object.keys(SIZE_VARS) as (keyof CanvasSizes)[]) {
    const value = Number.parseFloat(style?.getPropertyValue(SIZE_VARS[key]) ?? '');
    sizes[key] = Number.isFinite(value) ? value : FALLBACK.sizes[key];
  }
  const fontPx = Number.parseFloat(style?.fontSize ?? '');
  return {
    okabe,
    userColours: [
      okabe.orange,
      okabe.sky,
      okabe.green,
      okabe.yellow,
      okabe.blue,
      okabe.vermillion,
      okabe.purple,
      okabe.black,
    ],
    light: readColours(style, COLOUR_VARS.light, FALLBACK.light),
    dark: readColours(style, COLOUR_VARS.dark, FALLBACK.dark),
    ...readColours(
      style,
      { halo: COLOUR_VARS.halo, lessonRing: COLOUR_VARS.lessonRing, warningInk: COLOUR_VARS.warningInk },
      { halo: FALLBACK.halo, lessonRing: FALLBACK.lessonRing, warningInk: FALLBACK.warningInk },
    ),
    sizes,
    typeScale: Number.isFinite(fontPx) && fontPx > 0 ? fontPx / BASE_FONT_PX : 1,
  };
}

export { COLOUR_VARS };
