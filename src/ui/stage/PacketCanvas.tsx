/**
 * The stage's drawn layers and their one animation-frame *draw* loop. It never advances the engine
 * (state/clock.ts does) and never causes a React render: it reads the stage feed (packets from the
 * event stream), the store's play state and the latest node statuses.
 *
 * Two canvases, because painting is what costs on a classroom PC without a GPU:
 * - edges: under the cards, the size of the stage, redrawn only when the layout, a node's health or
 *   a rounded flow changes (a few times per second at most);
 * - packets: over the cards on its own layer, covering only the open ground between the columns,
 *   cleared and redrawn every frame — and not at all while nothing moves.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useReducedMotion } from 'framer-motion';
import type { NodeSnapshot } from '../../engine';
import { useSimulationStore } from '../../state/SimulationProvider';
import { getSimulation, type ClusterKey } from '../../state/simulationStore';
import { drawEdges, hitPacket, layoutFrame } from './drawStage';
import { acquirePacketPainter } from './packetPainter';
import type { PacketSprite } from './paintPackets';
import { openInspector } from '../inspect/openInspector';
import type { StageFeed } from './stageFeed';
import { isDarkTheme } from './useDarkTheme';
import { selectCluster } from './selectCluster';

const MEASURE_EVERY_MS = 500;
const EDGES_EVERY_MS = 250;
const MAX_FRAME_MS = 100;
/** How far one Step (while paused) moves the packets on, wall ms. */
const MAX_STEP_MS = 1_500;
/** Room around the open ground for a packet's shape as it slides under a card. */
const FIELD_MARGIN_PX = 48;

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

export function PacketCanvas({
  cluster,
  feed,
  stageRef,
}: {
  cluster: ClusterKey;
  feed: StageFeed;
  stageRef: RefObject<HTMLDivElement | null>;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const edgesRef = useRef<HTMLCanvasElement>(null);
  const store = useSimulationStore();
  const reducedMotion = useReducedMotion() ?? false;
  const reducedRef = useRef(reducedMotion);
  // Read by the frame loop; written after render, as refs must be.
  useEffect(() => {
    reducedRef.current = reducedMotion;
  }, [reducedMotion]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const edges = edgesRef.current;
    const stage = stageRef.current;
    if (canvas === null || edges === null || stage === null || typeof requestAnimationFrame !== 'function') return;
    const { painter, release } = acquirePacketPainter(canvas);
    const edgesCtx = context2d(edges);
    let layoutDirty = true;
    let edgesDirty = true;
    let sinceMeasureMs = 0;
    let sinceEdgesMs = 0;
    let last: number | null = null;
    let scale = 1;
    let dark = isDarkTheme();
    let originX = 0;
    let drewLastFrame = true;
    // The last frame's packets, for clicks: a packet is a request the inspector can open.
    let lastPackets: readonly PacketSprite[] = [];
    const packetAt = (event: PointerEvent | MouseEvent): PacketSprite | null => {
      if (event.target instanceof Element && event.target.closest('button, a, input, select, [tabindex]') !== null)
        return null;
      const box = stage.getBoundingClientRect();
      return hitPacket(lastPackets, event.clientX - box.left, event.clientY - box.top, 18 * scale);
    };
    const onClick = (event: MouseEvent): void => {
      const packet = packetAt(event);
      if (packet !== null) openInspector({ cluster, requestId: packet.id });
    };
    const onPointerMove = (event: PointerEvent): void => {
      stage.style.cursor = packetAt(event) === null ? '' : 'pointer';
    };
    stage.addEventListener('click', onClick);
    stage.addEventListener('pointermove', onPointerMove);
    let lastSimTimeMs = 0;
    let lastNodes: readonly NodeSnapshot[] | null = null;
    let downNodes: ReadonlySet<string> = new Set();
    let nodeIds: readonly string[] = [];
    let flowKey = '';
    const flows = new Map<string, number>();
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            layoutDirty = true;
          })
        : null;
    observer?.observe(stage);

    const frame = (wallMs: number): void => {
      handle = requestAnimationFrame(frame);
      const deltaMs = last === null ? 0 : Math.min(MAX_FRAME_MS, wallMs - last);
      last = wallMs;
      const state = store.getState();
      const simTimeMs = getSimulation(store, cluster)?.time ?? 0;
      if (state.playing) feed.clock.visualMs += deltaMs;
      else if (simTimeMs > lastSimTimeMs) {
        // Step while paused: move the picture on by the step, so packets do not freeze at their start.
        feed.clock.visualMs += Math.min(MAX_STEP_MS, (simTimeMs - lastSimTimeMs) / state.scenario.speed);
      }
      lastSimTimeMs = simTimeMs;
      const decay = Math.exp(-deltaMs / 1_000);
      for (const [node, flow] of feed.tracker.flowByNode) feed.tracker.flowByNode.set(node, flow * decay);
      feed.tracker.prune(feed.clock.visualMs);

      const nodes = selectCluster(state, cluster)?.snapshot.nodes ?? [];
      if (nodes !== lastNodes) {
        lastNodes = nodes;
        const down = nodes.filter((n) => n.status === 'down').map((n) => n.id);
        if (down.join() !== [...downNodes].join() || nodes.length !== nodeIds.length) edgesDirty = true;
        downNodes = new Set(down);
        nodeIds = nodes.map((n) => n.id);
      }

      sinceMeasureMs += deltaMs;
      if (layoutDirty || sinceMeasureMs >= MEASURE_EVERY_MS) {
        sinceMeasureMs = 0;
        const resized = layoutDirty;
        layoutDirty = false;
        if (resized) {
          scale = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
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
      }
      if (edgesDirty && edgesCtx !== null) {
        edgesDirty = false;
        edgesCtx.clearRect(0, 0, edges.width, edges.height);
        drawEdges(edgesCtx, { anchors: feed.anchors, flowByNode: flows, downNodes, nodeIds, scale, dark });
      }

      if (drewLastFrame || feed.tracker.packets.size > 0 || feed.tracker.bursts.length > 0) {
        const list = layoutFrame(
          {
            tracker: feed.tracker,
            anchors: feed.anchors,
            nowMs: feed.clock.visualMs,
            scale,
            dark,
            reducedMotion: reducedRef.current,
          },
          originX,
        );
        painter.paint(list);
        lastPackets = list?.packets ?? [];
        drewLastFrame = list !== null && (list.packets.length > 0 || list.bursts.length > 0);
      }
    };
    let handle = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(handle);
      stage.removeEventListener('click', onClick);
      stage.removeEventListener('pointermove', onPointerMove);
      observer?.disconnect();
      release();
    };
  }, [store, feed, cluster, stageRef]);

  return (
    <>
      <canvas ref={edgesRef} className="stage-canvas stage-edges" aria-hidden="true" />
      <canvas ref={canvasRef} className="stage-canvas stage-packets" aria-hidden="true" />
    </>
  );
}
