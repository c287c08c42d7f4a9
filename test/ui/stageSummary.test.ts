/**
 * A big hall on the stage: the first clients are drawn one by one and the rest summed up in one
 * block whose counts add up to how many it stands for — before and after a server fails — and whose
 * packets start and end at the block.
 */
import { describe, expect, test } from 'vitest';
import { createSimulation } from '../../src/engine';
import { describeTally, DRAWN_CLIENTS_MAX, tallyClients } from '../../src/ui/stage/clientSummary';
import { createAnchorRegistry, CLIENT_MORE } from '../../src/ui/stage/anchors';
import { chipsShown } from '../../src/ui/stage/SessionChips';

function sumOf(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

describe('the summary of the clients not drawn one by one', () => {
  test('at 1,000 clients it stands for 800, its counts add up, and a failure shows as logged out', () => {
    const sim = createSimulation({ mode: 'stateful', clients: 1_000, nodes: 8, seed: 7 });
    sim.advance(8_000);
    let snapshot = sim.snapshot();
    const before = tallyClients(snapshot.clients, DRAWN_CLIENTS_MAX, snapshot.time, 1);
    expect(before.total).toBe(800);
    expect(sumOf(before.login)).toBe(800);
    expect(before.login.lost).toBe(0);

    sim.apply({ type: 'failNode', node: 'server-2' });
    sim.advance(3_000);
    snapshot = sim.snapshot();
    const after = tallyClients(snapshot.clients, DRAWN_CLIENTS_MAX, snapshot.time, 1);
    const everyone = tallyClients(snapshot.clients, 0, snapshot.time, 1);
    expect(sumOf(after.login)).toBe(800);
    expect(after.login.lost + after.login.relogged).toBeGreaterThan(0);
    // What the block says plus what the drawn tokens say is what the whole hall says.
    const drawn = tallyClients(snapshot.clients.slice(0, DRAWN_CLIENTS_MAX), 0, snapshot.time, 1);
    expect(drawn.login.lost + after.login.lost).toBe(everyone.login.lost);
    expect(drawn.cartItems + after.cartItems).toBe(everyone.cartItems);
    expect(describeTally(after)).toMatch(/^800 more clients: [\d,]+ logged in.*; [\d,]+ cart items, \d+ at checkout$/);
  });

  test('below the limit nothing is summed up', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 200, nodes: 3, seed: 1 });
    sim.advance(2_000);
    const snapshot = sim.snapshot();
    expect(tallyClients(snapshot.clients, DRAWN_CLIENTS_MAX, snapshot.time, 1).total).toBe(0);
  });

  test('a client not drawn one by one sends and receives at the summary block', () => {
    const anchors = createAnchorRegistry();
    const box = (x: number, y: number, width: number, height: number): Element =>
      ({
        getBoundingClientRect: () => ({ x, y, width, height, left: x, top: y, right: x + width, bottom: y + height }),
      }) as unknown as Element;
    anchors.ref('client:c1')(box(0, 0, 20, 20));
    anchors.ref(CLIENT_MORE)(box(0, 300, 240, 80));
    anchors.ref('lb')(box(400, 150, 100, 60));
    anchors.ref('node:server-1')(box(700, 150, 100, 60));
    anchors.measure(box(0, 0, 1000, 500));
    expect(anchors.point('client:c1', 'lb')).toEqual({ x: 20, y: 10 });
    expect(anchors.point('client:c900', 'lb')).toEqual({ x: 240, y: 340 });
    // The block's own edge meets the balancer on its client side, and the packets' ground starts after it.
    expect(anchors.point('lb', CLIENT_MORE)).toEqual({ x: 400, y: 180 });
    expect([...anchors.clientNames()]).toContain(CLIENT_MORE);
    expect(anchors.field()).toEqual({ left: 240, right: 700 });
  });

  test('a node holding 125 of the hall’s sessions keeps room for "+118": three chip places, not two', () => {
    expect(chipsShown(125, 10)).toBe(7);
    expect(chipsShown(30, 10)).toBe(8);
    expect(chipsShown(104, 6)).toBe(3);
  });
});
