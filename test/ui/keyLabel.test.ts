/**
 * The "JWT" key drawn for a token request stays readable for every user colour in both themes:
 * its label reaches 4.5:1 on the key, and the black user's key has a white halo that shows on the
 * dark stage.
 */
import { describe, expect, it } from 'vitest';
import { paintFrame, type Ctx2D, type FrameDrawList, type PacketSprite } from '../../src/ui/stage/paintPackets';
import { contrastRatio, inkOn, userLook } from '../../src/ui/stage/userStyle';

interface Call {
  op: string;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  text?: string;
}

/** A 2D context that records what is filled and stroked, and with which colours. */
function recordingContext(): { ctx: Ctx2D; calls: Call[] } {
  const calls: Call[] = [];
  const state = {
    fillStyle: '#000',
    strokeStyle: '#000',
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
  };
  const log = (op: string, text?: string): void => {
    calls.push({
      op,
      fillStyle: String(state.fillStyle),
      strokeStyle: String(state.strokeStyle),
      lineWidth: state.lineWidth,
      ...(text === undefined ? {} : { text }),
    });
  };
  const noop = (): void => {};
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key in target) return target[key as keyof typeof target];
      if (key === 'canvas') return { width: 800, height: 600 };
      if (key === 'fill' || key === 'stroke') return () => log(key);
      if (key === 'fillText') return (text: string) => log('fillText', text);
      return noop;
    },
    set(target, key: string, value) {
      (target as Record<string, unknown>)[key] = value;
      return true;
    },
  }) as unknown as Ctx2D;
  return { ctx, calls };
}

function keyFrame(colour: string, dark: boolean): FrameDrawList {
  const packet: PacketSprite = {
    id: 1,
    x: 100,
    y: 100,
    alpha: 1,
    look: 'request',
    credential: 'token',
    sizeBytes: 300,
    colour,
    status: null,
  };
  return {
    originX: 0,
    clip: { left: 0, right: 800, lb: { x: 0, y: 0, width: 0, height: 0 } },
    packets: [packet],
    bursts: [],
    scale: 1,
    dark,
    reducedMotion: false,
  };
}

const PALETTE = (dark: boolean): string[] =>
  Array.from({ length: 8 }, (_, i) => userLook(`c${i + 1}`, 'X', dark).colour);

describe('the JWT key on the stage', () => {
  for (const dark of [false, true]) {
    for (const colour of PALETTE(dark)) {
      it(`${dark ? 'dark' : 'light'} theme, ${colour}: the label reaches 4.5:1 on the key`, () => {
        const { ctx, calls } = recordingContext();
        paintFrame(ctx, keyFrame(colour, dark));
        const label = calls.find((c) => c.op === 'fillText' && c.text === 'JWT');
        expect(label).toBeDefined();
        expect(contrastRatio(label!.fillStyle, colour)).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  it("the black user's key is ringed in white, so it shows on the dark stage (#1c2026)", () => {
    expect(PALETTE(false)).toContain('#000000');
    const { ctx, calls } = recordingContext();
    paintFrame(ctx, keyFrame('#000000', true));
    const halo = calls.find(
      (c) => c.op === 'stroke' && ['#fff', '#ffffff'].includes(c.strokeStyle.toLowerCase()) && c.lineWidth > 3,
    );
    expect(halo).toBeDefined();
    expect(contrastRatio('#ffffff', '#1c2026')).toBeGreaterThan(3);
  });

  it('ink on a colour is black or white, whichever contrasts more', () => {
    expect(inkOn('#000000')).toBe('#fff');
    expect(inkOn('#0072B2')).toBe('#fff');
    expect(inkOn('#F0E442')).toBe('#000');
    for (const dark of [false, true]) {
      for (const colour of PALETTE(dark)) expect(contrastRatio(inkOn(colour), colour)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
