/**
 * Seeded pseudo-random streams. Each concern (each client, each node, the balancer, session ids)
 * draws from its own stream, so a change in one place does not shift the numbers everywhere else:
 * the Stateless and Stateful clusters of Compare mode see the same clients think for the same times.
 */

/** splitmix32: turns (seed, stream) into a well-mixed 32-bit state. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * A mulberry32 generator for one named stream of a run. Its whole state is one number, so a
 * simulation can be forked (copied) at any moment.
 * @example
 * const thinkTimes = createRandom(7, 'client:3');
 * thinkTimes.between(1000, 3000); // the same number for seed 7 every time
 */
export class Random {
  constructor(private state: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Lowercase hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  }
}

export function createRandom(seed: number, stream: string): Random {
  return new Random(mix32(mix32(seed >>> 0) ^ hashString(stream)));
}
