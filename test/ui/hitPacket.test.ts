/** A click on a moving packet opens that request: which packet is under the pointer. */
import { describe, expect, it } from 'vitest';
import { hitPacket } from '../../src/ui/stage/drawStage';
import type { PacketSprite } from '../../src/ui/stage/paintPackets';

const sprite = (id: number, x: number, y: number): PacketSprite => ({
  id,
  x,
  y,
  alpha: 1,
  look: 'request',
  credential: 'token',
  sizeBytes: 300,
  colour: '#E69F00',
  status: null,
});

describe('hitPacket', () => {
  const packets = [sprite(1, 100, 100), sprite(2, 112, 100), sprite(3, 300, 200)];

  it('finds the nearest packet within the radius', () => {
    expect(hitPacket(packets, 104, 101, 18)?.id).toBe(1);
    expect(hitPacket(packets, 110, 99, 18)?.id).toBe(2);
    expect(hitPacket(packets, 295, 210, 18)?.id).toBe(3);
  });

  it('finds nothing on empty ground or when nothing moves', () => {
    expect(hitPacket(packets, 200, 150, 18)).toBeNull();
    expect(hitPacket([], 100, 100, 18)).toBeNull();
  });
});
