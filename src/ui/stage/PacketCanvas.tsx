/**
 * The stage's moving layer: one canvas over the stage and one animation-frame *draw* loop. It never
 * advances the engine (state/clock.ts does) and never causes a React render: it reads the stage
 * feed (packets from the event stream), the store's play state and the latest node statuses.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useReducedMotion } from 'framer-motion';
import { useSimulationStore } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { NodeSnapshot } from '../../engine';
import { drawClientEdges, drawStage } from './drawStage';
import type { StageFeed } from './stageFeed';
import { isDarkTheme } from './useDarkTheme';
import { selectCluster } from './selectCluster';

const MEASURE_EVERY_MS = 500;
const MAX_FRAME_MS = 100;

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    // jsdom (component tests) has no 2D context: the stage must still work without one.
    return canvas.getContext('2d') ?? null;
  } catch {
    return null;
  }
}

/** Sizes a canvas to the stage in device pixels, drawing in CSS pixels. */
function fit(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D | null, stage: HTMLElement): void {
  const ratio = window.devicePixelRatio || 1;
  const width = stage.clientWidth;
  const height = stage.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
}

export function PacketCanvas({ cluster, feed, stageRef }: { cluster: ClusterKey; feed: StageFeed; stageRef: RefObject<HTMLDivElement | null> }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const edgesRef = useRef<HTMLCanvasElement>(null);
  const store = useSimulationStore();
  const reducedMotion = useReducedMotion() ?? false;
  const reducedRef = useRef(reducedMotion);
  reducedRef.current = reducedMotion;

  useEffect(() => {
    const canvas = canvasRef.current;
    const edges = edgesRef.current;
    const stage = stageRef.current;
    if (canvas === null || edges === null || stage === null || typeof requestAnimationFrame !== 'function') return;
    const ctx = context2d(canvas);
    const edgesCtx = context2d(edges);
    let layoutDirty = true;
    let sinceMeasureMs = 0;
    let sinceExpiryMs = 0;
    let last: number | null = null;
    let scale = 1;
    let dark = isDarkTheme();
    let lastNodes: readonly NodeSnapshot[] | null = null;
    let downNodes: ReadonlySet<string> = new Set();
    let nodeIds: readonly string[] = [];
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => { layoutDirty = true; }) : null;
    observer?.observe(stage);

    const frame = (wallMs: number): void => {
      const deltaMs = last === null ? 0 : Math.min(MAX_FRAME_MS, wallMs - last);
      last = wallMs;
      const state = store.getState();
      if (state.playing) feed.clock.visualMs += deltaMs;
      const decay = Math.exp(-deltaMs / 1_000);
      for (const [node, flow] of feed.tracker.flowByNode) feed.tracker.flowByNode.set(node, flow * decay);
      feed.tracker.prune(feed.clock.visualMs);
      sinceExpiryMs += deltaMs;
      if (sinceExpiryMs >= 250) { sinceExpiryMs = 0; feed.expireLosses(); }

      sinceMeasureMs += deltaMs;
      if (layoutDirty || sinceMeasureMs >= MEASURE_EVERY_MS) {
        sinceMeasureMs = 0;
        const resized = layoutDirty;
        if (layoutDirty) {
          fit(canvas, ctx, stage);
          fit(edges, edgesCtx, stage);
          scale = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
          dark = isDarkTheme();
        }
        layoutDirty = false;
        if ((feed.anchors.measure(stage) || resized) && edgesCtx !== null) {
          edgesCtx.clearRect(0, 0, edges.width, edges.height);
          drawClientEdges(edgesCtx, feed.anchors, scale, dark);
        }
      }

      if (ctx !== null) {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        const nodes = selectCluster(state, cluster)?.snapshot.nodes ?? [];
        if (nodes !== lastNodes) {
          lastNodes = nodes;
          downNodes = new Set(nodes.filter((n) => n.status === 'down').map((n) => n.id));
          nodeIds = nodes.map((n) => n.id);
        }
        drawStage(ctx, {
          tracker: feed.tracker, anchors: feed.anchors, nowMs: feed.clock.visualMs, scale, dark,
          reducedMotion: reducedRef.current, downNodes, nodeIds,
        });
      }
      handle = requestAnimationFrame(frame);
    };
    let handle = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(handle);
      observer?.disconnect();
    };
  }, [store, feed, cluster, stageRef]);

  return (
    <>
      <canvas ref={edgesRef} className="stage-canvas stage-edges" aria-hidden="true" />
      <canvas ref={canvasRef} className="stage-canvas" aria-hidden="true" />
    </>
  );
}
