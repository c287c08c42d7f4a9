/**
 * Turns the tracker and anchors into pictures: the still edges (thicker where more traffic flows),
 * drawn directly, and a draw list of packets in flight and failure bursts for paintPackets.ts.
 * No React, no engine calls, so it can run every animation frame.
 */
import type { AnchorRegistry } from './anchors';
import { BURST_MS, packetPosition, type Packet, type PacketTracker } from './packetTracker';
import type { BurstSprite, FrameDrawList, PacketSprite } from './paintPackets';
import { userLook } from './userStyle';
import { paletteOf, STAGE_TOKENS_FALLBACK, type StageTokens } from './stageTokens';

export interface DrawInput {
  tracker: PacketTracker;
  anchors: AnchorRegistry;
  nowMs: number;
  /** CSS px per 16 px of text: shapes grow with the page's type scale. */
  scale: number;
  dark: boolean;
  reducedMotion: boolean;
  /** The canvas colours (design tokens); the built-in ones when absent. */
  tokens?: StageTokens;
}

function point(anchors: AnchorRegistry, name: string, other: string): { x: number; y: number } | null {
  return anchors.point(name, other);
}

function ease(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}

export interface EdgesInput {
  anchors: AnchorRegistry;
  /** Recent requests per second routed to each node, rounded: the "flow" on each edge. */
  flowByNode: ReadonlyMap<string, number>;
  downNodes: ReadonlySet<string>;
  nodeIds: readonly string[];
  scale: number;
  dark: boolean;
  tokens?: StageTokens;
}

/**
 * The still layer: client → balancer edges (up to 200 lines) and balancer → node edges whose width
 * follows the flow of requests (the view that still works at 20× speed). Redrawn only when the
 * layout, a node's health or a rounded flow changes — a few times per second at most.
 */
export function drawEdges(ctx: CanvasRenderingContext2D, input: EdgesInput): void {
  const { anchors, scale } = input;
  const tokens = input.tokens ?? STAGE_TOKENS_FALLBACK;
  const palette = paletteOf(tokens, input.dark);
  const { sizes } = tokens;
  ctx.lineWidth = sizes.edgeLine * scale;
  ctx.strokeStyle = palette.edge;
  ctx.beginPath();
  for (const name of anchors.clientNames()) {
    const from = point(anchors, name, 'lb');
    const to = point(anchors, 'lb', name);
    if (from === null || to === null) continue;
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
  }
  ctx.stroke();
  for (const nodeId of input.nodeIds) {
    const name = `node:${nodeId}`;
    const from = point(anchors, 'lb', name);
    const to = point(anchors, name, 'lb');
    if (from === null || to === null) continue;
    const flow = input.flowByNode.get(nodeId) ?? 0;
    const down = input.downNodes.has(nodeId);
    ctx.lineWidth = (sizes.nodeEdgeLine + Math.min(10, Math.sqrt(flow) * 1.6)) * scale;
    ctx.strokeStyle = down ? palette.downEdge : palette.nodeEdge;
    ctx.setLineDash(down ? [sizes.edgeDash * scale, sizes.edgeDash * scale] : []);
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/**
 * Where everything that moves is at `nowMs`, as a plain draw list (paintPackets.ts paints it, on
 * this thread or in the packet worker).
 */
export function layoutFrame(input: DrawInput, originX: number): FrameDrawList | null {
  const { anchors, tracker, scale, dark } = input;
  const lb = anchors.get('lb');
  const field = anchors.field();
  if (lb === undefined || field === null) return null;
  const packets: PacketSprite[] = [];
  for (const packet of tracker.packets.values()) {
    const sprite = placePacket(input, packet);
    if (sprite !== null) packets.push(sprite);
  }
  const bursts: BurstSprite[] = [];
  for (const burst of tracker.bursts) {
    const age = input.nowMs - burst.startMs;
    if (age < 0 || age > BURST_MS) continue;
    const at = anchors.point(`client:${burst.client}`, 'lb');
    if (at !== null) bursts.push({ x: at.x + 28 * scale, y: at.y, t: age / BURST_MS, status: burst.status });
  }
  return {
    originX,
    clip: { left: field.left, right: field.right, lb: { x: lb.x, y: lb.y, width: lb.width, height: lb.height } },
    packets,
    bursts,
    scale,
    dark,
    reducedMotion: input.reducedMotion,
    palette: paletteOf(input.tokens ?? STAGE_TOKENS_FALLBACK, dark),
    sizes: (input.tokens ?? STAGE_TOKENS_FALLBACK).sizes,
  };
}

/**
 * The packet under a point (stage coordinates), within `radiusPx`, nearest first; null if none.
 * @example
 * hitPacket(list.packets, 120, 300, 18) // → the sprite whose request the inspector should open
 */
export function hitPacket(
  packets: readonly PacketSprite[],
  x: number,
  y: number,
  radiusPx: number,
): PacketSprite | null {
  let best: PacketSprite | null = null;
  let bestDistance = radiusPx ** 2;
  for (const sprite of packets) {
    const distance = (sprite.x - x) ** 2 + (sprite.y - y) ** 2;
    if (distance < bestDistance) {
      best = sprite;
      bestDistance = distance;
    }
  }
  return best;
}

/** Packet colours, looked up every frame for every packet: computed once per user and theme. */
const colours = new Map<string, string>();
function colourOf(clientId: string, dark: boolean): string {
  const key = dark ? `d:${clientId}` : clientId;
  let colour = colours.get(key);
  if (colour === undefined) {
    colour = userLook(clientId, '', dark).colour;
    colours.set(key, colour);
  }
  return colour;
}

function placePacket(input: DrawInput, packet: Packet): PacketSprite | null {
  const where = packetPosition(packet, input.nowMs);
  if (where === null) return null;
  const { segment, progress } = where;
  const from = point(input.anchors, segment.from, segment.to);
  const to = point(input.anchors, segment.to, segment.from);
  if (from === null || to === null) return null;
  let x: number,
    y: number,
    alpha = 1;
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
  return {
    id: packet.id,
    x,
    y,
    alpha,
    look: segment.look,
    credential: packet.credential,
    sizeBytes: packet.sizeBytes,
    ...(packet.refresh ? { refresh: true } : {}),
    colour: colourOf(packet.client, input.dark),
    status: packet.status,
  };
}
