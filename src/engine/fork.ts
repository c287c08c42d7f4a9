/**
 * Deep copy of a running simulation's state, for checkpoints and "fork here". Object identity is
 * kept (a flight and its client stay linked in the copy), class instances keep their prototype,
 * and functions are allowed only if they are shared, state-free code (prototype methods on the
 * agenda). Anything listed in `share` is pure or immutable and is not copied.
 */
export interface CopyOptions {
  /** Objects the copy may share with the original (immutable, or pure with caches). */
  share: readonly object[];
  /** Functions that may appear in state (prototype methods: they carry no state). */
  allowedFunctions: ReadonlySet<unknown>;
}

export function deepCopy<T extends object>(root: T, options: CopyOptions): T {
  const copies = new Map<unknown, unknown>();
  for (const shared of options.share) copies.set(shared, shared);

  const copy = (value: unknown): unknown => {
    if (typeof value === 'function') {
      if (options.allowedFunctions.has(value)) return value;
      throw new Error(
        `cannot fork state holding the function ${value.name || '(anonymous)'}: it may close over the original`,
      );
    }
    if (value === null || typeof value !== 'object') return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    if (value instanceof WeakMap) return new WeakMap();
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
      return array;
    }
    const object = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    copies.set(value, object);
    for (const key of Object.keys(value)) object[key] = copy((value as Record<string, unknown>)[key]);
    if (Object.isFrozen(value)) Object.freeze(object);
    return object;
  };
  return copy(root) as T;
}
