/**
 * The classroom stage for one cluster: clients on the left, the load balancer in the middle, server
 * nodes (and the shared session store) on the right. React renders the structure a few times per
 * second; the canvas on top draws the moving requests every frame from the event stream.
 */
import { useEffect, useRef, useState } from 'react';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import { Balancer } from './Balancer';
import { ClientColumn } from './ClientColumn';
import { NodeColumn } from './NodeColumn';
import { PacketCanvas } from './PacketCanvas';
import { connectStageFeed, createStageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

export function Stage({ cluster }: { cluster: ClusterKey }) {
  const store = useSimulationStore();
  const [feed] = useState(createStageFeed);
  const stageRef = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);
  const compare = useSim((s) => s.scenario.mode === 'compare');
  const mode = useSim((s) => selectCluster(s, cluster)?.snapshot.mode);
  const refresh = useSim((s) => s.scenario.refresh);
  useEffect(() => connectStageFeed(feed, store, cluster), [feed, store, cluster]);
  return (
    <div className="stage" data-cluster={cluster} data-mode={mode} ref={stageRef}>
      <ClientColumn cluster={cluster} feed={feed} compare={compare} />
      <div className="stage-middle">
        <Balancer feed={feed} />
        <p className="stage-legend" aria-hidden="true">
          {mode === 'stateless'
            ? refresh
              ? 'requests carry a 15 s JWT; "refresh" renews it'
              : 'requests carry a signed token (JWT)'
            : 'requests carry a small session cookie'}
        </p>
        {/* Written by the stage renderer when it draws only a share of the requests. */}
        <p className="stage-legend stage-sample-note" ref={noteRef} hidden />
      </div>
      <NodeColumn cluster={cluster} feed={feed} />
      <PacketCanvas cluster={cluster} feed={feed} stageRef={stageRef} noteRef={noteRef} />
    </div>
  );
}
