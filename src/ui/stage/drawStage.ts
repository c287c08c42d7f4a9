/**
 * Draws one frame of the stage's moving parts on a 2D canvas: the edges (thicker where more traffic
 * flows), the packets in flight and the failure bursts. Pure drawing from the tracker and anchors —
 * no React, no engine calls — so it can run every animation frame.
 */
import type { AnchorRegistry } from './anchors';
import { BURST_MS, packetPosition, type Packet, type PacketTracker } from './packetTracker';
import { userLook } from './userStyle';

export interface DrawInput {
  tracker: PacketTracker;
  anchors: AnchorRegistry;
  nowMs: number;
  /** CSS px per 16 px of text: shapes grow with the page's type scale. */
  scale: number;
  dark: boolean;
  reducedMotion: boolean;
  /** Ids of nodes that are really down, drawn with a dashed edge. */
  downNodes: ReadonlySet<string>;
  nodeIds: readonly string[];
}

const FAIL_COLOUR = { light: '#B00020', dark: '#FF6B6B' };

function point(anchors: AnchorRegistry, name: string, other: string): { x: number; y: number } | null {
  return anchors.point(name, other);
}

function ease(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}

/**
 * The client → balancer edges: up to 200 lines that only move when the layout does, so they live on
 * their own canvas and are redrawn only then.
 */
export function drawClientEdges(ctx: CanvasRenderingContext2D, anchors: AnchorRegistry, scale: number, dark: boolean): void {
  ctx.lineWidth = 1.5 * scale;
  ctx.strokeStyle = dark ? 'rgba(232,232,232,0.22)' : 'rgba(26,26,26,0.18)';
  ctx.beginPath();
  for (const name of anchors.clientNames()) {
    const from = point(anchors, name, 'lb');
    const to = point(anchors, 'lb', name);
    if (from === null || to === null) continue;
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
  }
  ctx.stroke();
}

/** One frame of what moves: balancer → node edges (width = recent flow), packets, bursts. */
export function drawStage(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { anchors, tracker, scale, dark } = input;
  const ink = dark ? '#E8E8E8' : '#1A1A1A';
  const lb = anchors.get('lb');
  const field = anchors.field();
  if (lb === undefined || field === null) return;
  // This canvas lies over the cards (its own compositor layer, so the cards are never repainted for
  // a moving dot): clip to the ground between the columns, minus the balancer, so packets slide
  // under the cards instead of over their text.
  ctx.save();
  ctx.beginPath();
  ctx.rect(field.left, 0, field.right - field.left, ctx.canvas.height);
  ctx.rect(lb.x, lb.y, lb.width, lb.height);
  ctx.clip('evenodd');

  // Balancer → node edges: width follows the recent flow of requests (the "flow" view at high speed).
  for (const nodeId of input.nodeIds) {
    const name = `node:${nodeId}`;
    const from = point(anchors, 'lb', name);
    const to = point(anchors, name, 'lb');
    if (from === null || to === null) continue;
    const flow = tracker.flowByNode.get(nodeId) ?? 0;
    const down = input.downNodes.has(nodeId);
    ctx.lineWidth = (2 + Math.min(10, Math.sqrt(flow) * 1.6)) * scale;
    ctx.strokeStyle = down ? (dark ? 'rgba(232,232,232,0.35)' : 'rgba(26,26,26,0.3)') : (dark ? 'rgba(232,232,232,0.45)' : 'rgba(26,26,26,0.35)');
    ctx.setLineDash(down ? [6 * scale, 6 * scale] : []);
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }
  ctx.setLineDash([]);

  for (const packet of tracker.packets.values()) drawPacket(ctx, input, packet, ink);
  for (const burst of tracker.bursts) {
    const age = input.nowMs - burst.startMs;
    if (age < 0 || age > BURST_MS) continue;
    const at = anchors.point(`client:${burst.client}`, 'lb');
    if (at === null) continue;
    drawBurst(ctx, at.x + 26 * scale, at.y, age / BURST_MS, burst.status, scale, dark, input.reducedMotion);
  }
  ctx.restore();
}

function drawPacket(ctx: CanvasRenderingContext2D, input: DrawInput, packet: Packet, ink: string): void {
  const where = packetPosition(packet, input.nowMs);
  if (where === null) return;
  const { segment, progress } = where;
  const from = point(input.anchors, segment.from, segment.to);
  const to = point(input.anchors, segment.to, segment.from);
  if (from === null || to === null) return;
  const scale = input.scale;
  let x: number, y: number, alpha = 1;
  if (input.reducedMotion) {
    // No flight: the packet appears at the middle of its hop and fades.
    x = (from.x + to.x) / 2;
    y = (from.y + to.y) / 2;
    alpha = Math.sin(Math.PI * progress);
  } else {
    const t = ease(progress);
    x = from.x + (to.x - from.x) * t;
    y = from.y + (to.y - from.y) * t;
  }
  const colour = userLook(packet.client, '', input.dark).colour;
  ctx.globalAlpha = alpha;
  ctx.lineWidth = 1.5 * scale;
  ctx.strokeStyle = ink;
  if (segment.look === 'failed' || segment.look === 'refused') {
    const fail = input.dark ? FAIL_COLOUR.dark : FAIL_COLOUR.light;
    ctx.fillStyle = fail;
    ctx.beginPath();
    ctx.arc(x, y, 7 * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.font = `700 ${14 * scale}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = fail;
    ctx.fillText(segment.look === 'refused' ? 'refused' : String(packet.status ?? ''), x, y - 9 * scale);
  } else if (segment.look === 'answer') {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(x, y, 5 * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  } else if (packet.credential === 'token') {
    drawKey(ctx, x, y, packet.sizeBytes, colour, ink, scale);
  } else {
    // A cookie request (or a login with no credential yet): a small round dot; hollow when empty-handed.
    ctx.fillStyle = packet.credential === 'cookie' ? colour : (input.dark ? '#111' : '#fff');
    ctx.beginPath();
    ctx.arc(x, y, 6.5 * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = packet.credential === 'cookie' ? ink : colour;
    ctx.lineWidth = (packet.credential === 'cookie' ? 1.5 : 3) * scale;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** A JWT request: a key whose shaft grows with the request's size, labelled "JWT". */
function drawKey(ctx: CanvasRenderingContext2D, x: number, y: number, sizeBytes: number, colour: string, ink: string, scale: number): void {
  const shaft = Math.min(60, 22 + sizeBytes / 14) * scale;
  const h = 13 * scale;
  const bow = 9 * scale;
  const left = x - (shaft + bow) / 2;
  ctx.fillStyle = colour;
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1.5 * scale;
  ctx.beginPath();
  ctx.arc(left + bow, y, bow, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.rect(left + bow * 1.6, y - h / 2, shaft, h);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = ink;
  ctx.font = `800 ${10 * scale}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('JWT', left + bow * 1.6 + shaft / 2, y + 0.5 * scale);
}

/** A failed request ends in a star burst with its status number. */
function drawBurst(ctx: CanvasRenderingContext2D, x: number, y: number, t: number, status: number, scale: number, dark: boolean, reducedMotion: boolean): void {
  const fail = dark ? FAIL_COLOUR.dark : FAIL_COLOUR.light;
  const grow = reducedMotion ? 1 : 0.6 + 0.6 * Math.min(1, t * 3);
  const r = 18 * scale * grow;
  ctx.globalAlpha = t < 0.7 ? 1 : 1 - (t - 0.7) / 0.3;
  ctx.fillStyle = fail;
  ctx.beginPath();
  const spikes = 10;
  for (let i = 0; i <= spikes * 2; i++) {
    const angle = (Math.PI * i) / spikes;
    const radius = i % 2 === 0 ? r : r * 0.62;
    const px = x + Math.cos(angle) * radius;
    const py = y + Math.sin(angle) * radius;
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.font = `800 ${12 * scale}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(status), x, y + 0.5 * scale);
  ctx.globalAlpha = 1;
}
