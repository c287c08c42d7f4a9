/**
 * A refresh (POST /api/refresh) is drawn as its own thing on the stage: the packet tracker marks it
 * from the engine's event, and the painter draws a "refresh" ticket — not the "JWT" key — whose
 * label reaches 4.5:1 on every user colour in both themes.
 */
import { describe, expect, it } from 'vitest';
import { createPacketTracker } from '../../src/ui/stage/packetTracker';
import { paintFrame, type Ctx2D, type PacketSprite } from '../../src/ui/stage/paintPackets';
import { contrastRatio, userLook } from '../../src/ui/stage/userStyle';

/** A 2D context recording each text drawn and the fill colour it was drawn in. */
function recordingContext(): { ctx: Ctx2D; texts: { text: string; fillStyle: string }[] } {
  const texts: { text: string; fillStyle: string }[] = [];
  const state: Record<string, unknown> = { fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, font: '' };
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key in target) return target[key];
      if (key === 'canvas') return { width: 800, height: 600 };
      if (key === 'measureText') return (text: string) => ({ width: text.length * 6 });
      if (key === 'fillText') return (text: string) => texts.push({ text, fillStyle: String(target.fillStyle) });
      return () => {};
    },
    set(target, key: string, value) {
      target[key] = value;
      return true;
    },
  }) as unknown as Ctx2D;
  return { ctx, texts };
}

function sent(id: number, path: string) {
  return {
    type: 'request.sent' as const,
    time: 0,
    id,
    client: 'c1',
    method: 'POST',
    path,
    credential: 'token' as const,
    sizeBytes: 250,
    arriveAt: 20,
  };
}

function paint(refresh: boolean, colour: string, dark: boolean) {
  const packet: PacketSprite = {
    id: 1,
    x: 100,
    y: 100,
    alpha: 1,
    look: 'request',
    credential: 'token',
    sizeBytes: 250,
    ...(refresh ? { refresh: true } : {}),
    colour,
    status: null,
  };
  const { ctx, texts } = recordingContext();
  paintFrame(ctx, {
    originX: 0,
    clip: { left: 0, right: 800, lb: { x: 0, y: 0, width: 0, height: 0 } },
    packets: [packet],
    bursts: [],
    scale: 1,
    dark,
    reducedMotion: false,
  });
  return texts;
}

describe('a refresh on the stage', () => {
  it('the tracker marks POST /api/refresh, and only it', () => {
    const tracker = createPacketTracker({ maxPackets: 10, maxBursts: 5 });
    tracker.handle(sent(1, '/api/refresh'), 0, 1);
    tracker.handle(sent(2, '/api/token'), 0, 1);
    expect(tracker.packets.get(1)!.refresh).toBe(true);
    expect(tracker.packets.get(2)!.refresh).toBe(false);
  });

  for (const dark of [false, true]) {
    it(`is a "refresh" ticket, not a JWT key, readable on every user colour (${dark ? 'dark' : 'light'} theme)`, () => {
      for (let i = 1; i <= 8; i++) {
        const colour = userLook(`c${i}`, 'X', dark).colour;
        const texts = paint(true, colour, dark);
        expect(texts.map((t) => t.text)).toEqual(['refresh']);
        expect(contrastRatio(texts[0]!.fillStyle, colour)).toBeGreaterThanOrEqual(4.5);
        expect(paint(false, colour, dark).map((t) => t.text)).toEqual(['JWT']);
      }
    });
  }
});
