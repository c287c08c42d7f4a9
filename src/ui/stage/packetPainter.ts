/**
 * Who paints the packet layer: a worker with an OffscreenCanvas when the browser can (Chromium,
 * Firefox, Safari 17+), else this thread (and nothing at all where there is no 2D context, as in
 * jsdom). Either way the caller hands over a size and, each frame, a draw list.
 */
import { paintFrame, type FrameDrawList } from './paintPackets';
import type { PacketWorkerMessage } from './packetWorker';

export interface PacketPainter {
  resize(width: number, height: number): void;
  paint(list: FrameDrawList | null): void;
  dispose(): void;
}

function mainThreadPainter(canvas: HTMLCanvasElement): PacketPainter {
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d') ?? null;
  } catch {
    ctx = null;
  }
  let ratio = 1;
  return {
    resize(width, height) {
      ratio = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(width * ratio));
      canvas.height = Math.max(1, Math.round(height * ratio));
    },
    paint(list) {
      if (ctx === null) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      if (list !== null) paintFrame(ctx, list);
    },
    dispose() {},
  };
}

/**
 * A canvas can hand its control to a worker only once, and React's StrictMode mounts effects twice
 * in development: a painter released and taken again in the same task is kept, not rebuilt.
 */
const painters = new WeakMap<
  HTMLCanvasElement,
  { painter: PacketPainter; release: ReturnType<typeof setTimeout> | null }
>();

export function acquirePacketPainter(canvas: HTMLCanvasElement): { painter: PacketPainter; release(): void } {
  let entry = painters.get(canvas);
  if (entry === undefined) {
    entry = { painter: createPacketPainter(canvas), release: null };
    painters.set(canvas, entry);
  } else if (entry.release !== null) {
    clearTimeout(entry.release);
    entry.release = null;
  }
  const held = entry;
  return {
    painter: held.painter,
    release() {
      held.release = setTimeout(() => {
        held.painter.dispose();
        painters.delete(canvas);
      }, 0);
    },
  };
}

function createPacketPainter(canvas: HTMLCanvasElement): PacketPainter {
  if (typeof Worker !== 'function' || typeof canvas.transferControlToOffscreen !== 'function')
    return mainThreadPainter(canvas);
  let worker: Worker;
  let offscreen: OffscreenCanvas;
  try {
    offscreen = canvas.transferControlToOffscreen();
    worker = new Worker(new URL('./packetWorker.ts', import.meta.url), { type: 'module' });
  } catch {
    return mainThreadPainter(canvas);
  }
  const post = (message: PacketWorkerMessage, transfer: Transferable[] = []): void =>
    worker.postMessage(message, transfer);
  post({ type: 'init', canvas: offscreen }, [offscreen]);
  return {
    resize: (width, height) => post({ type: 'size', width, height, ratio: window.devicePixelRatio || 1 }),
    paint: (list) => post({ type: 'frame', list }),
    dispose: () => worker.terminate(),
  };
}
