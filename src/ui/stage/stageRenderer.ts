/**
 * The stage's drawn layers and their one animation-frame *draw* loop, as a plain controller with no
 * React inside (useStageRenderer.ts is the thin hook that mounts it, as xyflow's XYDrag + useDrag).
 * It never advances the engine (state/clock.ts does) and never causes a React render: each frame it
 * reads the stage feed (packets from the event stream) and what `read()` says about the run.
 *
 * Two canvases, because painting is what costs on a classroom PC without a GPU:
 * - edges: under the cards, the size of the stage, redrawn only when the layout, a node's health or
 *   a rounded flow changes (a few times per second at most);
 * - packets: over the cards on its own layer, covering only the open ground between the columns,
 *   cleared and redrawn every frame — and not at all while nothing moves.
 *
 * When more requests are in flight than the stage draws (a big hall, or 20×), a note says which
 * share of them is drawn; the edges' widths still count every request.
 */
import type { NodeSnapshot } from '../../engine';
import { drawEdges, hitPacket, layoutFrame } from './drawStage';
import { acquirePacketPainter, type PacketPainter } from './packetPainter';
import type { PacketSprite } from './paintPackets';
import type { StageFeed } from './stageFeed';
import { isDarkTheme } from './useDarkTheme';
import { readStageTokens, type StageTokens } from './stageTokens';

const MEASURE_EVERY_MS = 500;
const EDGES_EVERY_MS = 250;
const MAX_FRAME_MS = 100;
/** How far one Step (while paused) moves the packets on, wall ms. */
export const MAX_STEP_MS = 1_500;
/** Room around the open ground for a packet's shape as it slides under a card. */
const FIELD_MARGIN_PX = 48;
/** The sampling note looks at the requests sent over this much wall time. */
const NOTE_WINDOW_MS = 2_000;

/** What the loop reads about the run each frame. */
export interface StageRun {
  playing: boolean;
  /** The shown cluster's simulated time, ms. */
  simTimeMs: number;
  speed: number;
  nodes: readonly NodeSnapshot[];
}

export interface StageRendererOptions {
  /** The stage box: measured for anchors, listened to for clicks on packets. */
  stage: HTMLElement;
  edges: HTMLCanvasElement;
  packets: HTMLCanvasElement;
  feed: StageFeed;
  read(): StageRun;
  /** A click on a drawn packet (a request the inspector can open). */
  onPacketClick(requestId: number): void;
  /** Where the "Showing 38% of requests" note goes (its text is written here, not by React). */
  note?: HTMLElement | null;
  reducedMotion?: boolean;
  // What the browser provides, replaceable in tests (jsdom has no 2D context and no frames).
  painter?: PacketPainter;
  edgesContext?: CanvasRenderingContext2D | null;
  frames?: { request(callback: (wallMs: number) => void): number; cancel(handle: number): void };
  tokens?: () => StageTokens;
}

export interface StageRenderer {
  update(options: { reducedMotion?: boolean }): void;
  destroy(): void;
}

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    // jsdom (component tests) has no 2D context: the stage must still work without one.
    return canvas.getContext('2d') ?? null;
  } catch {
    return null;
  }
}

/** Places a canvas over part of the stage (CSS pixels). */
function place(canvas: HTMLCanvasElement, left: number, width: number, height: number): void {
  canvas.style.left = `${left}px`;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
}

/** Sizes the still layer's bitmap in device pixels, drawing in CSS pixels. */
function size(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D | null, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.max(1, Math.round(height * ratio));
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
}

/**
 * What the sampling note says, from the requests sent and the ones drawn over the last seconds:
 * nothing while every request is drawn.
 * @example
 * sampleNote(400, 152) // → 'Showing 38% of requests'
 */
export function sampleNote(sent: number, drawn: number): string {
  if (sent <= 0 || drawn >= sent) return '';
  const percent = Math.max(1, Math.floor((drawn / sent) * 100));
  return `Showing ${percent}% of requests`;
}

const defaultFrames = {
  request: (callback: (wallMs: number) => void) => requestAnimationFrame(callback),
  cancel: (handle: number) => cancelAnimationFrame(handle),
};

/**
 * Starts the stage's draw loop on two canvases; `destroy()` stops it and lets go of the canvases.
 * @example
 * const renderer = createStageRenderer({ stage, edges, packets, feed, read, onPacketClick });
 * renderer.update({ reducedMotion: true });
 * renderer.destroy();
 */
export function createStageRenderer(options: StageRendererOptions): StageRenderer {
  const { stage, edges, packets: canvas, feed, read } = options;
  const frames = options.frames ?? defaultFrames;
  const held = options.painter === undefined ? acquirePacketPainter(canvas) : null;
  const painter = options.painter ?? held!.painter;
  const edgesCtx = options.edgesContext !== undefined ? options.edgesContext : context2d(edges);
  const tokensOf = options.tokens ?? readStageTokens;
  let reducedMotion = options.reducedMotion ?? false;
  let layoutDirty = true;
  let edgesDirty = true;
  let sinceMeasureMs = 0;
  let sinceEdgesMs = 0;
  let last: number | null = null;
  let tokens = tokensOf();
  let scale = tokens.typeScale;
  let dark = isDarkTheme();
  let originX = 0;
  let drewLastFrame = true;
  /** What the packet layer last painted: the visual time and the tracker's changes then (and whether to paint anyway). */
  let paintedAtMs = Number.NaN;
  let paintedChanges = -1;
  let repaint = true;
  // The last frame's packets, for clicks: a packet is a request the inspector can open.
  let lastPackets: readonly PacketSprite[] = [];
  let lastSimTimeMs = 0;
  let lastNodes: readonly NodeSnapshot[] | null = null;
  let downNodes: ReadonlySet<string> = new Set();
  let nodeIds: readonly string[] = [];
  let flowKey = '';
  const flows = new Map<string, number>();
  // Requests sent and skipped, sampled each EDGES_EVERY_MS, for the note.
  const samples: { sent: number; skipped: number }[] = [];
  let noteText = '';
  const note = options.note ?? null;

  const packetAt = (event: MouseEvent): PacketSprite | null => {
    if (event.target instanceof Element && event.target.closest('button, a, input, select, [tabindex]') !== null)
      return null;
    const box = stage.getBoundingClientRect();
    // Chromium gives pointer events fractional coordinates but clicks whole pixels: test both on whole
    // pixels, or the hand shown at a packet's rim may be a click that misses it.
    const x = Math.trunc(event.clientX) - box.left;
    const y = Math.trunc(event.clientY) - box.top;
    return hitPacket(lastPackets, x, y, tokens.sizes.hitRadius * scale);
  };
  const onClick = (event: MouseEvent): void => {
    const packet = packetAt(event);
    if (packet !== null) options.onPacketClick(packet.id);
  };
  const onPointerMove = (event: PointerEvent): void => {
    stage.style.cursor = packetAt(event) === null ? '' : 'pointer';
  };
  stage.addEventListener('click', onClick);
  stage.addEventListener('pointermove', onPointerMove);
  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          layoutDirty = true;
        })
      : null;
  observer?.observe(stage);

  const writeNote = (): void => {
    const { tracker } = feed;
    samples.push({ sent: tracker.sent, skipped: tracker.skipped });
    if (samples.length > NOTE_WINDOW_MS / EDGES_EVERY_MS + 1) samples.shift();
    const first = samples[0]!;
    const sent = tracker.sent - first.sent;
    const text = sampleNote(sent, sent - (tracker.skipped - first.skipped));
    if (text !== noteText && note !== null) {
      noteText = text;
      note.textContent = text;
      note.hidden = text === '';
    }
  };

  const frame = (wallMs: number): void => {
    handle = frames.request(frame);
    const deltaMs = last === null ? 0 : Math.min(MAX_FRAME_MS, wallMs - last);
    last = wallMs;
    const run = read();
    if (run.playing) feed.clock.visualMs += deltaMs;
    else if (run.simTimeMs > lastSimTimeMs) {
      // Step while paused: move the picture on by the step, so packets do not freeze at their start.
      feed.clock.visualMs += Math.min(MAX_STEP_MS, (run.simTimeMs - lastSimTimeMs) / run.speed);
    }
    lastSimTimeMs = run.simTimeMs;
    const decay = Math.exp(-deltaMs / 1_000);
    for (const [node, flow] of feed.tracker.flowByNode) feed.tracker.flowByNode.set(node, flow * decay);
    feed.tracker.prune(feed.clock.visualMs);

    if (run.nodes !== lastNodes) {
      lastNodes = run.nodes;
      const down = run.nodes.filter((n) => n.status === 'down').map((n) => n.id);
      if (down.join() !== [...downNodes].join() || run.nodes.length !== nodeIds.length) edgesDirty = true;
      downNodes = new Set(down);
      nodeIds = run.nodes.map((n) => n.id);
    }

    sinceMeasureMs += deltaMs;
    if (layoutDirty || sinceMeasureMs >= MEASURE_EVERY_MS) {
      sinceMeasureMs = 0;
      const resized = layoutDirty;
      layoutDirty = false;
      if (resized) {
        repaint = true;
        tokens = tokensOf();
        scale = tokens.typeScale;
        dark = isDarkTheme();
        place(edges, 0, stage.clientWidth, stage.clientHeight);
        size(edges, edgesCtx, stage.clientWidth, stage.clientHeight);
      }
      if (feed.anchors.measure(stage) || resized) {
        edgesDirty = true;
        const field = feed.anchors.field();
        originX = field === null ? 0 : Math.max(0, field.left - FIELD_MARGIN_PX);
        const right = field === null ? stage.clientWidth : Math.min(stage.clientWidth, field.right + FIELD_MARGIN_PX);
        place(canvas, originX, right - originX, stage.clientHeight);
        painter.resize(right - originX, stage.clientHeight);
        drewLastFrame = true;
        repaint = true;
      }
    }

    sinceEdgesMs += deltaMs;
    if (sinceEdgesMs >= EDGES_EVERY_MS) {
      sinceEdgesMs = 0;
      // Flows are rounded so the still layer is repainted only when a width visibly changes.
      flows.clear();
      for (const [node, flow] of feed.tracker.flowByNode) flows.set(node, Math.round(flow));
      const key = [...flows.values()].join();
      if (key !== flowKey) {
        flowKey = key;
        edgesDirty = true;
      }
      writeNote();
    }
    if (edgesDirty && edgesCtx !== null) {
      edgesDirty = false;
      edgesCtx.clearRect(0, 0, edges.width, edges.height);
      drawEdges(edgesCtx, { anchors: feed.anchors, flowByNode: flows, downNodes, nodeIds, scale, dark, tokens });
    }

    // Paused with packets on the wire (a what-if being replayed, a teacher explaining): the picture
    // stands still, so it is not painted again until time, the packets or the layout move.
    const still = !repaint && feed.clock.visualMs === paintedAtMs && feed.tracker.changes === paintedChanges;
    if (!still && (drewLastFrame || feed.tracker.packets.size > 0 || feed.tracker.bursts.length > 0)) {
      repaint = false;
      paintedAtMs = feed.clock.visualMs;
      paintedChanges = feed.tracker.changes;
      const list = layoutFrame(
        {
          tracker: feed.tracker,
          anchors: feed.anchors,
          nowMs: feed.clock.visualMs,
          scale,
          dark,
          reducedMotion,
          tokens,
        },
        originX,
      );
      painter.paint(list);
      lastPackets = list?.packets ?? [];
      drewLastFrame = list !== null && (list.packets.length > 0 || list.bursts.length > 0);
    }
  };
  let handle = frames.request(frame);

  return {
    update(next) {
      if (next.reducedMotion !== undefined && next.reducedMotion !== reducedMotion) {
        reducedMotion = next.reducedMotion;
        repaint = true;
      }
    },
    destroy() {
      frames.cancel(handle);
      stage.removeEventListener('click', onClick);
      stage.removeEventListener('pointermove', onPointerMove);
      observer?.disconnect();
      held?.release();
    },
  };
}
