/**
 * Where things sit on the stage, for the canvas: elements register under an anchor name
 * ('client:c3', 'lb', 'node:server-2', 'store') and are measured only when the layout may have
 * changed (resize, a React commit, twice a second), never on every frame.
 */
export interface AnchorRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AnchorRegistry {
  /** A stable ref callback per anchor name. */
  ref(name: string): (element: Element | null) => void;
  /** Re-reads every anchor's position; true when any of them moved (or appeared / disappeared). */
  measure(container: Element): boolean;
  get(name: string): AnchorRect | undefined;
  /** Names of the registered client anchors (and the summary block's), for the client → balancer edges. */
  clientNames(): IterableIterator<string>;
  /** The open ground between the client column and the node column, where packets may be drawn. */
  field(): { left: number; right: number } | null;
  /** Where an edge from `name` towards `other` starts (see anchorPoint), or null if unmeasured. */
  point(name: string, other: string): { x: number; y: number } | null;
}

/**
 * In the compact client grid, edges start at the grid's right edge (at each token's height) instead
 * of criss-crossing the other tokens.
 */
export const CLIENT_EDGE = 'clients-edge';

/**
 * The block that sums up the clients not drawn one by one (ClientSummary): their packets start and
 * end there, and one edge joins it to the balancer.
 */
export const CLIENT_MORE = 'clients-more';

const isClientSide = (name: string): boolean => name.startsWith('client:') || name === CLIENT_MORE;

export function createAnchorRegistry(): AnchorRegistry {
  const elements = new Map<string, Element>();
  const refs = new Map<string, (element: Element | null) => void>();
  const rects = new Map<string, AnchorRect>();
  const clients = new Set<string>();
  let field: { left: number; right: number } | null = null;
  return {
    field: () => field,
    ref(name) {
      let callback = refs.get(name);
      if (callback === undefined) {
        callback = (element) => {
          if (element === null) {
            elements.delete(name);
            rects.delete(name);
            clients.delete(name);
          } else {
            elements.set(name, element);
            if (isClientSide(name)) clients.add(name);
          }
        };
        refs.set(name, callback);
      }
      return callback;
    },
    measure(container) {
      const origin = container.getBoundingClientRect();
      let changed = rects.size !== elements.size;
      for (const [name, element] of elements) {
        const r = element.getBoundingClientRect();
        const x = r.left - origin.left,
          y = r.top - origin.top;
        const old = rects.get(name);
        if (old === undefined || old.x !== x || old.y !== y || old.width !== r.width || old.height !== r.height) {
          changed = true;
          rects.set(name, { x, y, width: r.width, height: r.height });
        }
      }
      for (const name of rects.keys()) if (!elements.has(name)) rects.delete(name);
      if (changed) {
        let left = -Infinity,
          right = Infinity;
        for (const [name, r] of rects) {
          if (isClientSide(name) || name === CLIENT_EDGE) left = Math.max(left, r.x + r.width);
          else if (name.startsWith('node:') || name === 'store') right = Math.min(right, r.x);
        }
        field = Number.isFinite(left) && Number.isFinite(right) && right > left ? { left, right } : null;
      }
      return changed;
    },
    get: (name) => rects.get(name),
    point(name, other) {
      // A client not drawn one by one is inside the summary block.
      const rect = rects.get(name) ?? (name.startsWith('client:') ? rects.get(CLIENT_MORE) : undefined);
      if (rect === undefined) return null;
      const at = anchorPoint(rect, name, other);
      const edge = name.startsWith('client:') && rects.has(name) ? rects.get(CLIENT_EDGE) : undefined;
      return edge === undefined ? at : { x: edge.x + edge.width, y: at.y };
    },
    clientNames: () => clients.values(),
  };
}

/** The point where an edge meets an anchor: clients on their right side, nodes on their left, the balancer on the side facing the other end. */
export function anchorPoint(rect: AnchorRect, name: string, otherName: string): { x: number; y: number } {
  const midY = rect.y + rect.height / 2;
  if (isClientSide(name)) return { x: rect.x + rect.width, y: midY };
  if (name.startsWith('node:')) return { x: rect.x, y: midY };
  if (name === 'store') return { x: rect.x + rect.width / 2, y: rect.y };
  return isClientSide(otherName) ? { x: rect.x, y: midY } : { x: rect.x + rect.width, y: midY };
}
