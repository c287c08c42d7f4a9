/** A request's size on the wire: its body is counted exactly as JSON.stringify would write it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requestSizeBytes } from '../../src/engine';

/** [[[…[1]…]]]: nested `levels` deep. */
function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function reference(body: unknown): number {
  // "POST /api/x HTTP/1.1\r\n", no headers, the blank line, the JSON text.
  return 'POST'.length + '/api/x'.length + 12 + 2 + (body === undefined ? 0 : JSON.stringify(body).length);
}

describe('requestSizeBytes', () => {
  it('counts any JSON body as JSON.stringify writes it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(requestSizeBytes({ method: 'POST', path: '/api/x', headers: {}, body })).toBe(reference(body));
      }),
      { seed: 20_261_129, numRuns: 2_000 },
    );
  });

  it('counts escapes, odd numbers, holes and what JSON leaves out', () => {
    const bodies: unknown[] = [
      'say "hi" \\ back',
      'tab\there\nnew line',
      'lone \ud800 surrogate',
      '😀 pair',
      '',
      -0,
      1e21,
      1.5e-7,
      NaN,
      Infinity,
      123_456_789,
      -42.25,
      [undefined, () => 1, Symbol('s'), null],
      { a: undefined, b: () => 1, c: 1 },
      { '"key"': 'v' },
      { toJSON: () => 'x' },
      new Date(0),
      Object.create(null) as object,
      deep(20),
      { item: 'lamp', cart: ['book', 'mug'] },
      { step: 3, cart: [] },
      true,
      false,
      null,
    ];
    bodies.forEach((body, index) =>
      expect(requestSizeBytes({ method: 'POST', path: '/api/x', headers: {}, body }), `body ${index}`).toBe(
        reference(body),
      ),
    );
  });
});
