/**
 * The thin React side of the stage renderer: mounts createStageRenderer on the stage's canvases
 * once the elements exist, hands it the store's play state and the shown cluster's time and nodes,
 * and keeps its reduced-motion setting current. Everything that happens per frame is in
 * stageRenderer.ts.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useReducedMotion } from 'framer-motion';
import { useSimulationStore } from '../../state/SimulationProvider';
import { getSimulation, type ClusterKey } from '../../state/simulationStore';
import { openInspector } from '../inspect/openInspector';
import { createStageRenderer, type StageRenderer } from './stageRenderer';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

export interface StageRendererRefs {
  stage: RefObject<HTMLElement | null>;
  edges: RefObject<HTMLCanvasElement | null>;
  packets: RefObject<HTMLCanvasElement | null>;
  note?: RefObject<HTMLElement | null> | undefined;
}

export function useStageRenderer(cluster: ClusterKey, feed: StageFeed, refs: StageRendererRefs): void {
  const store = useSimulationStore();
  const reducedMotion = useReducedMotion() ?? false;
  const renderer = useRef<StageRenderer | null>(null);
  const reducedRef = useRef(reducedMotion);
  useEffect(() => {
    reducedRef.current = reducedMotion;
    renderer.current?.update({ reducedMotion });
  }, [reducedMotion]);

  const { stage: stageRef, edges: edgesRef, packets: packetsRef, note: noteRef } = refs;
  useEffect(() => {
    const stage = stageRef.current;
    const edges = edgesRef.current;
    const packets = packetsRef.current;
    if (stage === null || edges === null || packets === null || typeof requestAnimationFrame !== 'function') return;
    const created = createStageRenderer({
      stage,
      edges,
      packets,
      feed,
      note: noteRef?.current ?? null,
      reducedMotion: reducedRef.current,
      read: () => {
        const state = store.getState();
        return {
          playing: state.playing,
          simTimeMs: getSimulation(store, cluster)?.time ?? 0,
          speed: state.scenario.speed,
          nodes: selectCluster(state, cluster)?.snapshot.nodes ?? [],
        };
      },
      onPacketClick: (requestId) => openInspector({ cluster, requestId }),
    });
    renderer.current = created;
    return () => {
      created.destroy();
      renderer.current = null;
    };
  }, [store, feed, cluster, stageRef, edgesRef, packetsRef, noteRef]);
}
