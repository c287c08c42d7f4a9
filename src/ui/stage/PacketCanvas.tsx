/**
 * The stage's two drawn layers (still edges under the cards, moving packets over them) and the note
 * that says when only a share of the requests is drawn. The frame loop that paints them is a plain
 * controller, stageRenderer.ts, mounted by useStageRenderer.
 */
import { useRef, type RefObject } from 'react';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { useStageRenderer } from './useStageRenderer';

export function PacketCanvas({
  cluster,
  feed,
  stageRef,
  noteRef,
}: {
  cluster: ClusterKey;
  feed: StageFeed;
  stageRef: RefObject<HTMLDivElement | null>;
  noteRef?: RefObject<HTMLElement | null>;
}) {
  const packetsRef = useRef<HTMLCanvasElement>(null);
  const edgesRef = useRef<HTMLCanvasElement>(null);
  useStageRenderer(cluster, feed, { stage: stageRef, edges: edgesRef, packets: packetsRef, note: noteRef });
  return (
    <>
      <canvas ref={edgesRef} className="stage-canvas stage-edges" aria-hidden="true" />
      <canvas ref={packetsRef} className="stage-canvas stage-packets" aria-hidden="true" />
    </>
  );
}
