// @vitest-environment jsdom
/**
 * The stage renderer without React: a click on a moving packet opens that request, a Step while
 * paused moves the picture on, a failed node's line turns dashed, the canvas draws in the design
 * tokens' colours, and when too many requests fly to draw them all a note says which share is drawn.
 * jsdom has no 2D canvas and no frames: the painter, the edges' context and the frames are injected.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { NodeSnapshot, SimEvent } from '../../src/engine';
import { createStageFeed, type StageFeed } from '../../src/ui/stage/stageFeed';
import { createStageRenderer, MAX_STEP_MS, sampleNote, type StageRun } from '../../src/ui/stage/stageRenderer';
import type { PacketPainter } from '../../src/ui/stage/packetPainter';
import type { FrameDrawList } from '../../src/ui/stage/paintPackets';
import { STAGE_TOKENS_FALLBACK, type StageTokens } from '../../src/ui/stage/stageTokens';

afterEach(() => {
  document.body.innerHTML = '';
});

/** An element at a fixed place on the page (jsdom lays nothing out). */
function placed(tag: string, rect: { x: number; y: number; width: number; height: number }): HTMLElement {
  const element = document.createElement(tag);
  element.getBoundingClientRect = () =>
    ({
      ...rect,
      left: rect.x,
      top: rect.y,
      right: rect.x + rect.width,
      bottom: rect.y + rect.height,
      toJSON: () => rect,
    }) as DOMRect;
  return element;
}

function manualFrames() {
  let next: ((wallMs: number) => void) | null = null;
  let wallMs = 0;
  let cancelled = false;
  return {
    request(callback: (wallMs: number) => void) {
      next = callback;
      return 1;
    },
    cancel() {
      cancelled = true;
      next = null;
    },
    /** Runs frames `stepMs` apart for `totalMs` of wall time. */
    run(totalMs: number, stepMs = 16) {
      for (let t = 0; t < totalMs; t += stepMs) {
        wallMs += stepMs;
        next?.(wallMs);
      }
    },
    get cancelled() {
      return cancelled;
    },
  };
}

/** A 2D context that records line dashes and stroke colours. */
function edgesRecorder() {
  const strokes: { style: string; dash: number[] }[] = [];
  let dash: number[] = [];
  const state: Record<string, unknown> = { strokeStyle: '', lineWidth: 1 };
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key in target) return target[key];
      if (key === 'setLineDash') return (d: number[]) => (dash = d);
      if (key === 'stroke') return () => strokes.push({ style: String(target.strokeStyle), dash: [...dash] });
      return () => {};
    },
    set(target, key: string, value) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, strokes };
}

function sent(id: number, client = 'c1'): SimEvent {
  return {
    type: 'request.sent',
    time: 0,
    id,
    client,
    method: 'GET',
    path: '/api/cart',
    credential: 'cookie',
    sizeBytes: 80,
    arriveAt: 10,
  };
}

const node = (id: string, status: NodeSnapshot['status']): NodeSnapshot => ({ id, status }) as NodeSnapshot;

interface Rig {
  stage: HTMLElement;
  feed: StageFeed;
  run: StageRun;
  frames: ReturnType<typeof manualFrames>;
  lists: (FrameDrawList | null)[];
  clicks: number[];
  note: HTMLElement;
  strokes: { style: string; dash: number[] }[];
  renderer: ReturnType<typeof createStageRenderer>;
}

/** A stage with one client at x 0–100, the balancer at 300–400 and Server 1 at 600–700 (all at y 100–140). */
function rig(tokens: StageTokens = STAGE_TOKENS_FALLBACK): Rig {
  const stage = placed('div', { x: 0, y: 0, width: 800, height: 400 });
  const button = document.createElement('button');
  stage.append(button);
  document.body.append(stage);
  const feed = createStageFeed();
  feed.anchors.ref('client:c1')(placed('li', { x: 0, y: 100, width: 100, height: 40 }));
  feed.anchors.ref('lb')(placed('div', { x: 300, y: 100, width: 100, height: 40 }));
  feed.anchors.ref('node:server-1')(placed('div', { x: 600, y: 100, width: 100, height: 40 }));
  const lists: (FrameDrawList | null)[] = [];
  const painter: PacketPainter = { resize() {}, paint: (list) => lists.push(list), dispose() {} };
  const run: StageRun = { playing: true, simTimeMs: 0, speed: 1, nodes: [node('server-1', 'up')] };
  const frames = manualFrames();
  const clicks: number[] = [];
  const note = document.createElement('p');
  note.hidden = true;
  const { ctx, strokes } = edgesRecorder();
  const renderer = createStageRenderer({
    stage,
    edges: document.createElement('canvas'),
    packets: document.createElement('canvas'),
    feed,
    read: () => run,
    onPacketClick: (id) => clicks.push(id),
    note,
    painter,
    edgesContext: ctx,
    frames,
    tokens: () => tokens,
  });
  return { stage, feed, run, frames, lists, clicks, note, strokes, renderer };
}

const lastPackets = (r: Rig) => r.lists.at(-1)?.packets ?? [];

describe('the stage renderer', () => {
  test('a click on a moving packet opens that request; a click on a control over it does not', () => {
    const r = rig();
    r.frames.run(32);
    r.feed.tracker.handle(sent(42), r.feed.clock.visualMs, 1);
    r.frames.run(160); // half-way along its first hop (320 ms at least)
    const packet = lastPackets(r)[0]!;
    expect(packet.id).toBe(42);
    expect(packet.x).toBeGreaterThan(100);
    expect(packet.x).toBeLessThan(300);

    r.stage
      .querySelector('button')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: packet.x, clientY: packet.y }));
    expect(r.clicks).toEqual([]);
    r.stage.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: packet.x + 5, clientY: packet.y }));
    expect(r.clicks).toEqual([42]);
    r.stage.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 780, clientY: 380 }));
    expect(r.clicks).toEqual([42]);
  });

  test('wherever the pointer turns into a hand, a click there opens the request (clicks come in whole pixels)', () => {
    const r = rig();
    r.frames.run(32);
    r.feed.tracker.handle(sent(7), r.feed.clock.visualMs, 1);
    r.frames.run(160);
    const packet = lastPackets(r)[0]!;
    r.run.playing = false;
    r.frames.run(16);
    let hands = 0;
    // Sweep across the packet in tenths of a pixel, as a pointer's fractional positions do.
    for (let dx = -40; dx < 40; dx += 0.1) {
      const clientX = packet.x + dx;
      // jsdom rounds MouseEvent coordinates; a PointerEvent in Chromium keeps the fraction.
      const move = new MouseEvent('pointermove', { bubbles: true, clientY: packet.y });
      Object.defineProperty(move, 'clientX', { value: clientX });
      r.stage.dispatchEvent(move);
      if (r.stage.style.cursor !== 'pointer') continue;
      hands++;
      const before = r.clicks.length;
      r.stage.dispatchEvent(
        new MouseEvent('click', { bubbles: true, clientX: Math.trunc(clientX), clientY: packet.y }),
      );
      expect(r.clicks.length, `a hand at x ${clientX.toFixed(1)} but the click missed`).toBe(before + 1);
    }
    expect(hands).toBeGreaterThan(0);
  });

  test('paused with packets on the wire, the packet layer is not painted again until something moves', () => {
    const r = rig();
    r.frames.run(32);
    r.feed.tracker.handle(sent(1), r.feed.clock.visualMs, 1);
    r.frames.run(64);
    r.run.playing = false;
    r.frames.run(16);
    const painted = r.lists.length;
    // A replayed what-if or a teacher explaining: seconds of the same picture cost no paint.
    r.frames.run(2_000);
    expect(r.lists.length).toBe(painted);
    expect(lastPackets(r)).toHaveLength(1);
    // A request of You's while paused adds a packet: painted once.
    r.feed.tracker.handle(sent(2), r.feed.clock.visualMs, 1);
    r.frames.run(160);
    expect(r.lists.length).toBe(painted + 1);
    expect(lastPackets(r)).toHaveLength(2);
    r.run.playing = true;
    r.frames.run(160);
    expect(r.lists.length).toBe(painted + 11);
  });

  test('while paused the packets stand still, and a Step moves them on by the step (at most 1.5 s)', () => {
    const r = rig();
    r.frames.run(32);
    r.run.playing = false;
    r.feed.tracker.handle(sent(1), r.feed.clock.visualMs, 1);
    const start = r.feed.clock.visualMs;
    r.frames.run(1_000);
    expect(r.feed.clock.visualMs).toBe(start);
    r.run.simTimeMs += 100; // Step 100 ms
    r.frames.run(16);
    expect(r.feed.clock.visualMs).toBe(start + 100);
    r.run.simTimeMs += 60_000; // a long step is shown as a short one
    r.frames.run(16);
    expect(r.feed.clock.visualMs).toBe(start + 100 + MAX_STEP_MS);
    r.run.playing = true;
    r.frames.run(160, 16);
    expect(r.feed.clock.visualMs).toBe(start + 100 + MAX_STEP_MS + 160);
  });

  test('a node that goes down gets a dashed line, and the lines are drawn in the tokens’ colours', () => {
    const tokens: StageTokens = {
      ...STAGE_TOKENS_FALLBACK,
      light: { ...STAGE_TOKENS_FALLBACK.light, edge: 'rgb(1 2 3)', nodeEdge: 'rgb(4 5 6)', downEdge: 'rgb(7 8 9)' },
    };
    const r = rig(tokens);
    r.frames.run(32);
    expect(r.strokes.map((s) => s.style)).toEqual(['rgb(1 2 3)', 'rgb(4 5 6)']);
    expect(r.strokes[1]!.dash).toEqual([]);
    r.strokes.length = 0;
    r.frames.run(32);
    expect(r.strokes).toEqual([]); // nothing changed: the still layer is not redrawn

    r.run.nodes = [node('server-1', 'down')];
    r.frames.run(16);
    expect(r.strokes.at(-1)!.style).toBe('rgb(7 8 9)');
    expect(r.strokes.at(-1)!.dash.length).toBe(2);
  });

  test('the packets carry the tokens’ palette to the painter', () => {
    const tokens: StageTokens = {
      ...STAGE_TOKENS_FALLBACK,
      light: { ...STAGE_TOKENS_FALLBACK.light, fail: '#123456' },
    };
    const r = rig(tokens);
    r.feed.tracker.handle(sent(1), 0, 1);
    r.frames.run(64);
    expect(r.lists.at(-1)?.palette?.fail).toBe('#123456');
  });

  test('when more requests fly than the stage draws, a note says which share is drawn', () => {
    const r = rig();
    r.frames.run(300);
    expect(r.note.hidden).toBe(true);
    // 400 requests sent in the window; the tracker draws 160 of them at most.
    for (let id = 1; id <= 400; id++) r.feed.tracker.handle(sent(id), r.feed.clock.visualMs, 1);
    r.frames.run(300);
    expect(r.feed.tracker.skipped).toBe(240);
    expect(r.note.hidden).toBe(false);
    expect(r.note.textContent).toBe('Showing 40% of requests');
    // Quiet again: once the window has passed, every request is drawn and the note goes.
    r.frames.run(3_000);
    expect(r.note.hidden).toBe(true);
  });

  test('destroy stops the frames and the clicks', () => {
    const r = rig();
    r.feed.tracker.handle(sent(7), 0, 1);
    r.frames.run(160);
    const packet = lastPackets(r)[0]!;
    r.renderer.destroy();
    expect(r.frames.cancelled).toBe(true);
    r.stage.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: packet.x, clientY: packet.y }));
    expect(r.clicks).toEqual([]);
  });
});

describe('the sampling note', () => {
  test('says nothing while every request is drawn, and a whole percentage (at least 1%) when not', () => {
    expect(sampleNote(0, 0)).toBe('');
    expect(sampleNote(80, 80)).toBe('');
    expect(sampleNote(400, 152)).toBe('Showing 38% of requests');
    expect(sampleNote(100_000, 3)).toBe('Showing 1% of requests');
  });
});
