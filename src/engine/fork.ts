/**
 * Deep copies of a running simulation's state: `deepCopy` for checkpoints and "fork here", and
 * `pack`/`unpack` to hand a simulation from one thread to another (a what-if replayed in a Web
 * Worker). Object identity is kept (a flight and its client stay linked in the copy), class
 * instances keep their prototype, and functions are allowed only if they are shared, state-free
 * code. Anything listed in `share` is pure or immutable and is not copied.
 */
export interface CopyOptions {
  /** Objects the copy may share with the original (immutable, or pure with caches). */
  share: readonly object[];
  /** Functions that may appear in state (prototype methods: they carry no state). */
  allowedFunctions: ReadonlySet<unknown>;
}

/**
 * A simulation's state as data a `postMessage` can carry (the structured clone keeps identity,
 * Maps, Sets and typed arrays, but not prototypes, frozenness or functions): plain objects, with
 * on the side which object is an instance of which class, which was frozen, and which stands for
 * an object the receiving side supplies (`share`: a service, a module's constant).
 */
export interface Packed {
  root: object;
  /** Placeholders, in `share`'s order: each stands for the receiver's share[i]. */
  slots: object[];
  /** Objects that are not plain and unfrozen, with their tag (see tagOf). */
  tagged: object[];
  tags: number[];
}

export interface PackOptions {
  /** Objects not sent but supplied by the receiver, in an order both sides agree on. */
  share: readonly object[];
  /** Every class whose instances the state may hold, in an order both sides agree on. */
  classes: readonly (abstract new (...args: never[]) => unknown)[];
}

/** The walk a copy makes: how each object and array of the original is rebuilt. */
interface Rebuild {
  /** The copy's prototype; undefined: as the original (deepCopy). */
  prototypeOf(value: object): object | null | undefined;
  frozen(value: object): boolean;
  made?(value: object, copy: object): void;
  /** What stands for `value` in the copy instead of a copy of it (a WeakMap: an empty one), or undefined. */
  substitute(value: object): object | undefined;
  fn(value: (...args: never[]) => unknown): unknown;
}

function copyGraph(root: object, copies: Map<unknown, unknown>, rebuild: Rebuild): object {
  const copy = (value: unknown): unknown => {
    if (typeof value === 'function') return rebuild.fn(value as (...args: never[]) => unknown);
    if (value === null || typeof value !== 'object') return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    const stand = rebuild.substitute(value);
    if (stand !== undefined) {
      copies.set(value, stand);
      return stand;
    }
    if (value instanceof Map) {
      const map = new Map();
      copies.set(value, map);
      for (const [key, item] of value) map.set(copy(key), copy(item));
      return map;
    }
    if (value instanceof Set) {
      const set = new Set();
      copies.set(value, set);
      for (const item of value) set.add(copy(item));
      return set;
    }
    if (ArrayBuffer.isView(value)) {
      const typed = (value as unknown as Uint32Array).slice();
      copies.set(value, typed);
      return typed;
    }
    if (Array.isArray(value)) {
      const array: unknown[] = new Array(value.length);
      copies.set(value, array);
      for (let i = 0; i < value.length; i++) array[i] = copy(value[i]);
      if (rebuild.frozen(value)) Object.freeze(array);
      rebuild.made?.(value, array);
      return array;
    }
    const prototype = rebuild.prototypeOf(value);
    const object = Object.create(prototype === undefined ? Object.getPrototypeOf(value) : prototype) as Record<
      string,
      unknown
    >;
    copies.set(value, object);
    for (const key of Object.keys(value)) object[key] = copy((value as Record<string, unknown>)[key]);
    if (rebuild.frozen(value)) Object.freeze(object);
    rebuild.made?.(value, object);
    return object;
  };
  return copy(root) as object;
}

export function deepCopy<T extends object>(root: T, options: CopyOptions): T {
  const copies = new Map<unknown, unknown>();
  for (const shared of options.share) copies.set(shared, shared);
  return copyGraph(root, copies, {
    prototypeOf: () => undefined,
    frozen: (value) => Object.isFrozen(value),
    substitute: (value) => (value instanceof WeakMap ? new WeakMap() : undefined),
    fn(value) {
      if (options.allowedFunctions.has(value)) return value;
      throw new Error(
        `cannot fork state holding the function ${value.name || '(anonymous)'}: it may close over the original`,
      );
    },
  }) as T;
}

/** A tag: (index of the class in `classes` + 1) × 2, plus 1 if frozen; 0 × 2 is a plain object; -1 a WeakMap. */
const WEAK_MAP_TAG = -1;

/** `root` as data for postMessage; `unpack` on the other side with the same options rebuilds it. */
export function pack(root: object, options: PackOptions): Packed {
  const copies = new Map<unknown, unknown>();
  const slots = options.share.map((shared) => {
    const slot = {};
    copies.set(shared, slot);
    return slot;
  });
  const classOf = new Map<unknown, number>(options.classes.map((type, index) => [type.prototype, index + 1]));
  classOf.set(Object.prototype, 0);
  classOf.set(Array.prototype, 0);
  const tagged: object[] = [];
  const tags: number[] = [];
  const packed = copyGraph(root, copies, {
    prototypeOf: () => Object.prototype,
    frozen: () => false,
    made(value, copy) {
      const type = classOf.get(Object.getPrototypeOf(value));
      if (type === undefined)
        throw new Error(
          `cannot pack an instance of ${(Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'a null prototype'}: list its class in the engine's transferable classes`,
        );
      const tag = type * 2 + (Object.isFrozen(value) ? 1 : 0);
      if (tag === 0) return;
      tagged.push(copy);
      tags.push(tag);
    },
    substitute(value) {
      if (!(value instanceof WeakMap)) return undefined;
      const stand = {};
      tagged.push(stand);
      tags.push(WEAK_MAP_TAG);
      return stand;
    },
    fn(value) {
      throw new Error(`cannot pack state holding the function ${value.name || '(anonymous)'}: share what holds it`);
    },
  });
  return { root: packed, slots, tagged, tags };
}

/**
 * The state `pack` described, rebuilt with its classes, frozen objects and this side's `share`.
 * The packed data is left as it is: it can be unpacked again (a checkpoint, forked at each jump).
 */
export function unpack<T extends object>(packed: Packed, options: PackOptions): T {
  const copies = new Map<unknown, unknown>();
  packed.slots.forEach((slot, index) => copies.set(slot, options.share[index]));
  const tagOf = new Map<object, number>();
  for (let i = 0; i < packed.tagged.length; i++) tagOf.set(packed.tagged[i]!, packed.tags[i]!);
  const prototypes = [Object.prototype, ...options.classes.map((type) => type.prototype as object)];
  return copyGraph(packed.root, copies, {
    prototypeOf: (value) => prototypes[(tagOf.get(value) ?? 0) >> 1],
    frozen: (value) => ((tagOf.get(value) ?? 0) & 1) === 1,
    substitute: (value) => (tagOf.get(value) === WEAK_MAP_TAG ? new WeakMap() : undefined),
    fn(value) {
      throw new Error(`a packed state holds no function, but found ${value.name || '(anonymous)'}`);
    },
  }) as T;
}
