/**
 * Turns the engine's event stream into packets to draw, scheduled on a *visual* clock (wall ms that
 * only runs while the simulation plays). Each hop lasts its simulated time ÷ speed, but never less
 * than a minimum, so a packet stays visible for ~300 ms of wall time at any speed; a hop that
 * arrives while the previous one is still on screen waits for it. The number of packets and bursts
 * is bounded: beyond the cap a request is only counted in the edge flows (see drawStage.ts).
 *
 * Anchors name the places on the stage: 'client:c3', 'lb', 'node:server-2'.
 */
import type { CredentialKind, SimEvent } from '../../engine';

export type SegmentLook = 'request' | 'answer' | 'failed' | 'refused';

export interface Segment {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
  look: SegmentLook;
}

export interface Packet {
  id: number;
  client: string;
  credential: CredentialKind;
  sizeBytes: number;
  /** A refresh-token grant (POST /api/refresh): drawn as a "refresh" ticket, not a key. */
  refresh: boolean;
  /** Status of the answer, once known. */
  status: number | null;
  segments: Segment[];
  finished: boolean;
}

export interface Burst {
  client: string;
  status: number;
  startMs: number;
}

export interface SentRequest {
  id: number;
  credential: CredentialKind;
  sizeBytes: number;
}

/** Minimum on-screen time of each hop, wall ms. Client hops are long, the in-cluster hop short. */
export const MIN_HOP_MS = { toBalancer: 320, toNode: 200, back: 480 } as const;
export const BURST_MS = 1_100;
const MAX_PACKET_AGE_MS = 15_000;

export interface PacketTrackerOptions {
  maxPackets: number;
  maxBursts: number;
}

export interface PacketTracker {
  /** Feeds one engine event, seen at visual time `nowMs` while the page runs at `speed`×. */
  handle(event: SimEvent, nowMs: number, speed: number): void;
  /** Drops what has finished drawing. */
  prune(nowMs: number): void;
  clear(): void;
  readonly packets: ReadonlyMap<number, Packet>;
  readonly bursts: readonly Burst[];
  /** Requests routed to each node, decayed over about a second: the flow drawn on each edge. */
  readonly flowByNode: Map<string, number>;
  /** Each client's latest request (credential and measured size), for the credential card. */
  readonly lastRequest: ReadonlyMap<string, SentRequest>;
  /** Requests sent since the start, drawn or not (never reset: the stage reads differences). */
  readonly sent: number;
  /** How many of them were too many to draw as packets (never reset). */
  readonly skipped: number;
  /** Counts changes to the packets and bursts: unchanged, and at the same time, the picture is the same. */
  readonly changes: number;
}

/**
 * @example
 * const tracker = createPacketTracker({ maxPackets: 150, maxBursts: 30 });
 * sim.subscribe((event) => tracker.handle(event, visualNowMs, speed));
 */
export function createPacketTracker(options: PacketTrackerOptions): PacketTracker {
  const packets = new Map<number, Packet>();
  let bursts: Burst[] = [];
  const flowByNode = new Map<string, number>();
  const lastRequest = new Map<string, SentRequest>();
  let skipped = 0;
  let sent = 0;
  let changes = 0;

  function append(
    packet: Packet,
    from: string,
    to: string,
    durationMs: number,
    look: SegmentLook,
    nowMs: number,
  ): number {
    const last = packet.segments[packet.segments.length - 1];
    const startMs = Math.max(nowMs, last?.endMs ?? nowMs);
    packet.segments.push({ from, to, startMs, endMs: startMs + durationMs, look });
    return startMs + durationMs;
  }

  function burst(client: string, status: number, startMs: number): void {
    if (bursts.length >= options.maxBursts) bursts.shift();
    bursts.push({ client, status, startMs });
  }

  const tracker: PacketTracker = {
    packets,
    get bursts() {
      return bursts;
    },
    flowByNode,
    lastRequest,
    get sent() {
      return sent;
    },
    get skipped() {
      return skipped;
    },
    get changes() {
      return changes;
    },
    handle(event, nowMs, speed) {
      changes++;
      switch (event.type) {
        case 'request.sent': {
          lastRequest.set(event.client, { id: event.id, credential: event.credential, sizeBytes: event.sizeBytes });
          sent++;
          if (packets.size >= options.maxPackets) {
            skipped++;
            return;
          }
          const packet: Packet = {
            id: event.id,
            client: event.client,
            credential: event.credential,
            sizeBytes: event.sizeBytes,
            refresh: event.path === '/api/refresh',
            status: null,
            segments: [],
            finished: false,
          };
          packets.set(event.id, packet);
          append(
            packet,
            `client:${event.client}`,
            'lb',
            Math.max((event.arriveAt - event.time) / speed, MIN_HOP_MS.toBalancer),
            'request',
            nowMs,
          );
          return;
        }
        case 'request.routed': {
          flowByNode.set(event.node, (flowByNode.get(event.node) ?? 0) + 1);
          const packet = packets.get(event.id);
          if (packet === undefined) return;
          append(
            packet,
            'lb',
            `node:${event.node}`,
            Math.max((event.arriveAt - event.time) / speed, MIN_HOP_MS.toNode),
            'request',
            nowMs,
          );
          return;
        }
        case 'request.refused': {
          const packet = packets.get(event.id);
          if (packet !== undefined) append(packet, `node:${event.node}`, 'lb', MIN_HOP_MS.toNode, 'refused', nowMs);
          return;
        }
        case 'request.answered': {
          const packet = packets.get(event.id);
          const failed = event.status >= 400;
          if (packet === undefined) {
            if (failed) burst(event.client, event.status, nowMs);
            return;
          }
          packet.status = event.status;
          const totalMs = Math.max((event.arriveAt - event.time) / speed, MIN_HOP_MS.back);
          const look: SegmentLook = failed ? 'failed' : 'answer';
          if (event.node !== null) append(packet, `node:${event.node}`, 'lb', totalMs * 0.35, look, nowMs);
          const endMs = append(
            packet,
            'lb',
            `client:${event.client}`,
            event.node !== null ? totalMs * 0.65 : totalMs,
            look,
            nowMs,
          );
          if (failed) burst(event.client, event.status, endMs);
          return;
        }
        case 'request.finished': {
          const packet = packets.get(event.id);
          if (packet !== undefined) packet.finished = true;
          return;
        }
        default:
          return;
      }
    },
    prune(nowMs) {
      for (const [id, packet] of packets) {
        const last = packet.segments[packet.segments.length - 1];
        const done = packet.finished && (last === undefined || last.endMs <= nowMs);
        if (done || (packet.segments[0]?.startMs ?? nowMs) < nowMs - MAX_PACKET_AGE_MS) {
          packets.delete(id);
          changes++;
        }
      }
      if (bursts.length > 0 && bursts[0]!.startMs + BURST_MS < nowMs) {
        bursts = bursts.filter((b) => b.startMs + BURST_MS >= nowMs);
        changes++;
      }
    },
    clear() {
      changes++;
      packets.clear();
      bursts = [];
      flowByNode.clear();
      lastRequest.clear();
    },
  };
  return tracker;
}

/** Where a packet is at `nowMs`: the segment it is on and how far along (0..1), or null if inside a node or waiting. */
export function packetPosition(packet: Packet, nowMs: number): { segment: Segment; progress: number } | null {
  for (const segment of packet.segments) {
    if (nowMs < segment.startMs) return null;
    if (nowMs < segment.endMs)
      return { segment, progress: (nowMs - segment.startMs) / (segment.endMs - segment.startMs) };
  }
  return null;
}
