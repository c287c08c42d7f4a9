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
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, 2³²): the generator's raw output (next() is this over 2³²). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Lowercase hex string of `length` characters: 8 per draw, each draw's 32 bits written out in full. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const value = this.nextUint32();
      out +=
        HEX_BYTES[value >>> 24]! +
        HEX_BYTES[(value >>> 16) & 0xff]! +
        HEX_BYTES[(value >>> 8) & 0xff]! +
        HEX_BYTES[value & 0xff]!;
    }
    return out.length === length ? out : out.slice(0, length);
  }
}

/** '00' … 'ff': a session or token id is written a byte at a time (no number-to-string per draw). */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function createRandom(seed: number, stream: string): Random {
  return new Random(mix32(mix32(seed >>> 0) ^ hashString(stream)));
}
