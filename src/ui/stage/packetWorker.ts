/**
 * Paints the packet layer off the main thread. On a classroom PC without a GPU, every frame a
 * page-owned canvas changes costs the main thread a compositor commit; an OffscreenCanvas owned by
 * this worker is committed from here, so the main thread only posts a small draw list per frame.
 */
import { paintFrame, type FrameDrawList } from './paintPackets';

export type PacketWorkerMessage =
  | { type: 'init'; canvas: OffscreenCanvas }
  | { type: 'size'; width: number; height: number; ratio: number }
  | { type: 'frame'; list: FrameDrawList | null };

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let ratio = 1;

const scope = self as unknown as { onmessage: ((event: MessageEvent<PacketWorkerMessage>) => void) | null };
scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    canvas = message.canvas;
    ctx = canvas.getContext('2d');
  } else if (message.type === 'size') {
    if (canvas === null) return;
    ratio = message.ratio;
    canvas.width = Math.max(1, Math.round(message.width * ratio));
    canvas.height = Math.max(1, Math.round(message.height * ratio));
  } else if (ctx !== null && canvas !== null) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (message.list !== null) paintFrame(ctx, message.list);
  }
};
