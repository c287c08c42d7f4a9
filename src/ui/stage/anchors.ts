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
  measure(container: Element): void;
  get(name: string): AnchorRect | undefined;
  /** Names of the registered client anchors, for the client → balancer edges. */
  clientNames(): IterableIterator<string>;
  /** Where an edge from `name` towards `other` starts (see anchorPoint), or null if unmeasured. */
  point(name: string, other: string): { x: number; y: number } | null;
}

/**
 * In the compact client grid, edges start at the grid's right edge (at each token's height) instead
 * of criss-crossing the other tokens.
 */
export const CLIENT_EDGE = 'clients-edge';

export function createAnchorRegistry(): AnchorRegistry {
  const elements = new Map<string, Element>();
  const refs = new Map<string, (element: Element | null) => void>();
  const rects = new Map<string, AnchorRect>();
  const clients = new Set<string>();
  return {
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
            if (name.startsWith('client:')) clients.add(name);
          }
        };
        refs.set(name, callback);
      }
      return callback;
    },
    measure(container) {
      const origin = container.getBoundingClientRect();
      for (const [name, element] of elements) {
        const r = element.getBoundingClientRect();
        rects.set(name, { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height });
      }
    },
    get: (name) => rects.get(name),
    point(name, other) {
      const rect = rects.get(name);
      if (rect === undefined) return null;
      const at = anchorPoint(rect, name, other);
      const edge = name.startsWith('client:') ? rects.get(CLIENT_EDGE) : undefined;
      return edge === undefined ? at : { x: edge.x + edge.width, y: at.y };
    },
    clientNames: () => clients.values(),
  };
}

/** The point where an edge meets an anchor: clients on their right side, nodes on their left, the balancer on the side facing the other end. */
export function anchorPoint(rect: AnchorRect, name: string, otherName: string): { x: number; y: number } {
  const midY = rect.y + rect.height / 2;
  if (name.startsWith('client:')) return { x: rect.x + rect.width, y: midY };
  if (name.startsWith('node:')) return { x: rect.x, y: midY };
  if (name === 'store') return { x: rect.x + rect.width / 2, y: rect.y };
  return otherName.startsWith('client:') ? { x: rect.x, y: midY } : { x: rect.x + rect.width, y: midY };
}
