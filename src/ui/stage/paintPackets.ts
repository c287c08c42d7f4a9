/**
 * Paints one frame of moving things from a plain draw list. No DOM, no anchors, no tracker: the
 * same code runs on the page's thread or in the packet worker (packetWorker.ts) with an
 * OffscreenCanvas, so a frame of dots never makes the page's main thread commit a canvas.
 */
import type { CredentialKind } from '../../engine';
import type { SegmentLook } from './packetTracker';
import { inkOn, luminance } from './userStyle';
import type { CanvasSizes } from '../tokens';
import { paletteOf, STAGE_TOKENS_FALLBACK, type StagePalette } from './stageTokens';

export type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface PacketSprite {
  /** The engine's request id: a click on the packet opens it in the inspector. */
  id: number;
  x: number;
  y: number;
  alpha: number;
  look: SegmentLook;
  credential: CredentialKind;
  sizeBytes: number;
  /** A refresh-token grant (POST /api/refresh): a ticket labelled "refresh" instead of a JWT key. */
  refresh?: boolean;
  colour: string;
  status: number | null;
}

export interface BurstSprite {
  x: number;
  y: number;
  /** 0..1 through the burst's life. */
  t: number;
  status: number;
}

export interface FrameDrawList {
  /** Left edge of the canvas in stage coordinates. */
  originX: number;
  /** Packets show only over the open ground between the columns, minus the balancer's box. */
  clip: { left: number; right: number; lb: { x: number; y: number; width: number; height: number } };
  packets: PacketSprite[];
  bursts: BurstSprite[];
  scale: number;
  dark: boolean;
  reducedMotion: boolean;
  /** The theme's canvas colours (design tokens), plain strings so the list can go to the worker. */
  palette?: StagePalette;
  /** Shape sizes in CSS px per 16 px of type (design tokens). */
  sizes?: CanvasSizes;
}

/** Below this a key would vanish into the dark stage (#1c2026): it gets a light halo. */
const DARK_KEY_LUMINANCE = 0.05;

export function paintFrame(ctx: Ctx2D, list: FrameDrawList): void {
  const { scale } = list;
  const palette = list.palette ?? paletteOf(STAGE_TOKENS_FALLBACK, list.dark);
  const sizes = list.sizes ?? STAGE_TOKENS_FALLBACK.sizes;
  ctx.save();
  ctx.translate(-list.originX, 0);
  ctx.beginPath();
  ctx.rect(list.clip.left, 0, list.clip.right - list.clip.left, ctx.canvas.height);
  ctx.rect(list.clip.lb.x, list.clip.lb.y, list.clip.lb.width, list.clip.lb.height);
  ctx.clip('evenodd');
  for (const packet of list.packets) paintPacket(ctx, packet, palette, sizes, scale);
  for (const burst of list.bursts) paintBurst(ctx, burst, palette, sizes, scale, list.reducedMotion);
  ctx.restore();
}

function paintPacket(ctx: Ctx2D, p: PacketSprite, palette: StagePalette, sizes: CanvasSizes, scale: number): void {
  const { ink } = palette;
  ctx.globalAlpha = p.alpha;
  ctx.lineWidth = sizes.line * scale;
  ctx.strokeStyle = ink;
  if (p.look === 'failed' || p.look === 'refused') {
    ctx.fillStyle = palette.fail;
    ctx.beginPath();
    ctx.arc(p.x, p.y, sizes.failRadius * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.font = `700 ${sizes.failFont * scale}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(p.look === 'refused' ? 'refused' : String(p.status ?? ''), p.x, p.y - 9 * scale);
  } else if (p.look === 'answer') {
    ctx.fillStyle = p.colour;
    ctx.beginPath();
    ctx.arc(p.x, p.y, sizes.answerRadius * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  } else if (p.refresh === true) {
    paintRefresh(ctx, p, palette, sizes, scale);
  } else if (p.credential === 'token') {
    paintKey(ctx, p, palette, sizes, scale);
  } else {
    // A cookie request (or a login with no credential yet): a small round dot; hollow when empty-handed.
    ctx.fillStyle = p.credential === 'cookie' ? p.colour : palette.hollow;
    ctx.beginPath();
    ctx.arc(p.x, p.y, sizes.dotRadius * scale, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = p.credential === 'cookie' ? ink : p.colour;
    ctx.lineWidth = (p.credential === 'cookie' ? sizes.line : sizes.dotEmptyLine) * scale;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/**
 * A JWT request: a key whose shaft grows with the request's size, labelled "JWT" in black or white,
 * whichever reads better on the user's colour. A dark key (the black user) also gets a white halo
 * under its outline, so it stands out on the dark stage as well as on the light one.
 */
function paintKey(ctx: Ctx2D, p: PacketSprite, palette: StagePalette, sizes: CanvasSizes, scale: number): void {
  const { ink } = palette;
  const shaft = Math.min(sizes.keyShaftMax, sizes.keyShaftMin + p.sizeBytes / 14) * scale;
  const h = sizes.keyHeight * scale;
  const bow = sizes.keyBow * scale;
  const left = p.x - (shaft + bow) / 2;
  const outline = (): void => {
    ctx.beginPath();
    ctx.arc(left + bow, p.y, bow, 0, Math.PI * 2);
    ctx.rect(left + bow * 1.6, p.y - h / 2, shaft, h);
  };
  if (luminance(p.colour) < DARK_KEY_LUMINANCE) {
    ctx.strokeStyle = palette.halo;
    ctx.lineWidth = sizes.haloLine * scale;
    outline();
    ctx.stroke();
  }
  ctx.fillStyle = p.colour;
  ctx.strokeStyle = ink;
  ctx.lineWidth = sizes.line * scale;
  ctx.beginPath();
  ctx.arc(left + bow, p.y, bow, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.rect(left + bow * 1.6, p.y - h / 2, shaft, h);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = inkOn(p.colour);
  ctx.font = `800 ${sizes.keyFont * scale}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('JWT', left + bow * 1.6 + shaft / 2, p.y + 0.5 * scale);
}

/**
 * A refresh-token grant: a rounded ticket in the user's colour labelled "refresh" (no key: the
 * access token stays home; the opaque refresh token rides in the body to POST /api/refresh).
 */
function paintRefresh(ctx: Ctx2D, p: PacketSprite, palette: StagePalette, sizes: CanvasSizes, scale: number): void {
  const h = (sizes.keyHeight + 3) * scale;
  ctx.font = `800 ${sizes.keyFont * scale}px system-ui, sans-serif`;
  const w = ctx.measureText('refresh').width + 10 * scale;
  const left = p.x - w / 2;
  const top = p.y - h / 2;
  if (luminance(p.colour) < DARK_KEY_LUMINANCE) {
    ctx.strokeStyle = palette.halo;
    ctx.lineWidth = sizes.haloLine * scale;
    ctx.beginPath();
    ctx.roundRect(left, top, w, h, h / 2);
    ctx.stroke();
  }
  ctx.fillStyle = p.colour;
  ctx.strokeStyle = palette.ink;
  ctx.lineWidth = sizes.line * scale;
  ctx.setLineDash([3 * scale, 2 * scale]);
  ctx.beginPath();
  ctx.roundRect(left, top, w, h, h / 2);
  ctx.fill();
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = inkOn(p.colour);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('refresh', p.x, p.y + 0.5 * scale);
}

/** A failed request ends in a star burst with its status number. */
function paintBurst(
  ctx: Ctx2D,
  b: BurstSprite,
  palette: StagePalette,
  sizes: CanvasSizes,
  scale: number,
  reducedMotion: boolean,
): void {
  const grow = reducedMotion ? 1 : 0.6 + 0.6 * Math.min(1, b.t * 3);
  const r = sizes.burstRadius * scale * grow;
  ctx.globalAlpha = b.t < 0.7 ? 1 : 1 - (b.t - 0.7) / 0.3;
  ctx.fillStyle = palette.fail;
  ctx.beginPath();
  const spikes = 10;
  for (let i = 0; i <= spikes * 2; i++) {
    const angle = (Math.PI * i) / spikes;
    const radius = i % 2 === 0 ? r : r * 0.66;
    const px = b.x + Math.cos(angle) * radius;
    const py = b.y + Math.sin(angle) * radius;
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = palette.burstText;
  ctx.font = `800 ${sizes.burstFont * scale}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(b.status), b.x, b.y + 0.5 * scale);
  ctx.globalAlpha = 1;
}
