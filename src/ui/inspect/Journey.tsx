/**
 * "Journey": one user's recent requests as a sequence diagram (journey.ts builds it from the
 * engine's recent events). Lanes across, time down: each request an arrow to the node that took it,
 * a retry when a dead node refused it, the store call, the answer back with its status and bytes.
 * Re-read on every store publish, so it follows the timeline: after a rewind the running engine is
 * the rewound one and later arrows are gone. Clicking a request opens it in the Inspector.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { CLUSTER_LABEL, type ClusterKey } from '../../state/simulationStore';
import { YOU_ID, YOU_NAME } from '../../state/labels';
import { useInspectContext } from './InspectContext';
import {
  buildJourney,
  responseSizeBytes,
  type JourneyArrow,
  type JourneyItem,
  type JourneyLane,
  type JourneyMark,
  type JourneyRequest,
} from './journey';
import './journey.css';

/** One line of a row: the label's baseline, then the arrow under it (em of the diagram's type). */
const LINE_EM = 2.6;
const TEXT_Y = 1.15;
const ARROW_Y = 1.9;

function laneX(lanes: readonly JourneyLane[], id: string): number {
  const index = lanes.findIndex((lane) => lane.id === id);
  return ((Math.max(index, 0) + 0.5) / lanes.length) * 100;
}

const pct = (value: number) => `${value}%`;
const em = (value: number) => `${value}em`;

function Lifelines({ lanes }: { lanes: readonly JourneyLane[] }) {
  return (
    <>
      {lanes.map((lane) => (
        <line
          key={lane.id}
          className={`journey-lifeline journey-lifeline-${lane.kind}`}
          x1={pct(laneX(lanes, lane.id))}
          x2={pct(laneX(lanes, lane.id))}
          y1="0"
          y2="100%"
        />
      ))}
    </>
  );
}

function Arrow({ arrow, line, lanes, ids }: { arrow: JourneyArrow; line: number; lanes: JourneyLane[]; ids: string }) {
  const from = laneX(lanes, arrow.from);
  const to = laneX(lanes, arrow.to);
  const y = em(line * LINE_EM + ARROW_Y);
  const textY = em(line * LINE_EM + TEXT_Y);
  // Labels run from the left end of the arrow (the client lane is leftmost); the store call's ends at the store.
  const store = arrow.tone === 'store';
  const textX = store ? Math.max(from, to) : Math.min(from, to);
  const marker = `url(#${ids}-${arrow.tone === 'fail' ? 'fail' : arrow.tone === 'store' ? 'store' : 'plain'})`;
  const passesBalancer = (arrow.from === 'client' || arrow.to === 'client') && arrow.from !== 'balancer';
  return (
    <g className={`journey-arrow journey-${arrow.tone}`}>
      <line
        x1={pct(from)}
        x2={pct(to)}
        y1={y}
        y2={y}
        markerEnd={arrow.refused ? undefined : marker}
        markerStart={arrow.both ? marker : undefined}
      />
      {passesBalancer && arrow.to !== 'balancer' && (
        <circle className="journey-via" cx={pct(laneX(lanes, 'balancer'))} cy={y} r="0.28em" />
      )}
      {arrow.refused && (
        <text className="journey-x" x={pct(to)} y={y} textAnchor="middle" dominantBaseline="central">
          ✕
        </text>
      )}
      <text
        className="journey-label"
        x={pct(textX)}
        dx={store ? '-0.4em' : '0.4em'}
        y={textY}
        textAnchor={store ? 'end' : 'start'}
      >
        {arrow.text}
        {arrow.refused && arrow.tone !== 'store' ? ' · refused' : ''}
      </text>
    </g>
  );
}

function RequestRow({
  item,
  lanes,
  ids,
  onOpen,
}: {
  item: JourneyRequest;
  lanes: JourneyLane[];
  ids: string;
  onOpen: () => void;
}) {
  const height = item.arrows.length * LINE_EM + 0.35;
  return (
    <li
      className="journey-row"
      data-status={item.status === null ? undefined : Math.floor(item.status / 100)}
      data-request={item.id}
    >
      <button
        type="button"
        className="journey-request"
        aria-label={item.summary}
        title="Open in the Inspector"
        onClick={onOpen}
      >
        <svg className="journey-svg" style={{ height: em(height) }} aria-hidden="true" focusable="false">
          <Lifelines lanes={lanes} />
          {item.arrows.map((arrow, line) => (
            <Arrow key={line} arrow={arrow} line={line} lanes={lanes} ids={ids} />
          ))}
        </svg>
      </button>
    </li>
  );
}

function MarkRow({ item, lanes }: { item: JourneyMark; lanes: JourneyLane[] }) {
  const x = laneX(lanes, item.lane);
  const glyph = item.tone === 'crash' ? '✕' : item.tone === 'recover' ? '▲' : item.tone === 'lost' ? '!' : '●';
  return (
    <li className={`journey-row journey-mark journey-mark-${item.tone}`}>
      <svg className="journey-svg" style={{ height: em(LINE_EM + 0.75) }} aria-hidden="true" focusable="false">
        <Lifelines lanes={lanes} />
        <text className="journey-glyph" x={pct(x)} y={em(ARROW_Y)} textAnchor="middle" dominantBaseline="central">
          {glyph}
        </text>
        <text className="journey-label" x={pct(laneX(lanes, 'client'))} dx="0.4em" y={em(TEXT_Y)}>
          {item.text}
        </text>
      </svg>
      <span className="visually-hidden">{item.text}</span>
    </li>
  );
}

function Markers({ ids }: { ids: string }) {
  return (
    <svg className="journey-defs" aria-hidden="true" focusable="false">
      <defs>
        {(['plain', 'fail', 'store'] as const).map((tone) => (
          <marker
            key={tone}
            id={`${ids}-${tone}`}
            className={`journey-head journey-head-${tone}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        ))}
      </defs>
    </svg>
  );
}

/** Keeps the newest arrows in view while the reader is at the bottom; leaves them be once they scroll up. */
function useStickToBottom(list: React.RefObject<HTMLElement | null>, change: unknown): void {
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const scroller = list.current?.closest('.side-panel-body');
    if (!(scroller instanceof HTMLElement)) return;
    const onScroll = () => {
      atBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => scroller.removeEventListener('scroll', onScroll);
  }, [list]);
  useLayoutEffect(() => {
    const scroller = list.current?.closest('.side-panel-body');
    if (scroller instanceof HTMLElement && atBottom.current) scroller.scrollTop = scroller.scrollHeight;
  }, [list, change]);
}

/** The user and cluster picked, per side-panel store: closing the panel (to click a server) forgets nothing. */
const picks = new WeakMap<object, { client: string | null; cluster: ClusterKey | null }>();

export function Journey() {
  const sims = useSimulationStore();
  const { store } = useInspectContext();
  const clusters = useSim((s) => s.clusters); // changes on every publish: the diagram's heartbeat
  const [pick, setPick] = useState(() => picks.get(store) ?? { client: null, cluster: null });
  const choose = (change: Partial<typeof pick>) => {
    const next = { ...pick, ...change };
    picks.set(store, next);
    setPick(next);
  };
  const clusterChoice = pick.cluster;
  const clientChoice = pick.client;
  const ids = `journey${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const list = useRef<HTMLOListElement>(null);

  const view = clusters.find((c) => c.key === clusterChoice) ?? clusters[0];
  const users = useMemo(
    () => (view === undefined ? [] : view.snapshot.clients.filter((client) => client.id !== YOU_ID)),
    [view],
  );
  const client = clientChoice ?? users[0]?.id ?? YOU_ID;
  const clientName = client === YOU_ID ? YOU_NAME : (users.find((u) => u.id === client)?.name ?? client);

  const journey = useMemo(() => {
    const sim = view === undefined ? undefined : sims.running.get(view.key);
    if (view === undefined || sim === undefined) return null;
    return buildJourney({
      events: sim.recentEvents(),
      client,
      clientName,
      nodes: view.snapshot.nodes.map((node) => node.id),
      store: view.snapshot.store?.role ?? null,
      answerBytes: (id) => {
        const response = sim.inspect(id)?.response;
        return response === undefined || response === null ? null : responseSizeBytes(response);
      },
    });
  }, [sims, view, client, clientName]);
  useStickToBottom(list, journey);

  if (view === undefined || journey === null) return <p>No cluster is running.</p>;
  const open = (item: JourneyItem) => {
    if (item.kind === 'request') store.getState().inspect({ cluster: view.key, requestId: item.id });
  };
  const requests = journey.items.filter((item) => item.kind === 'request').length;
  const columns = { gridTemplateColumns: `repeat(${journey.lanes.length}, minmax(0, 1fr))` };

  return (
    <div className="journey">
      <div className="journey-pickers">
        <label>
          User{' '}
          <select value={client} onChange={(e) => choose({ client: e.target.value })}>
            <option value={YOU_ID}>{YOU_NAME}</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
          </select>
        </label>
        {clusters.length > 1 && (
          <label>
            Cluster{' '}
            <select value={view.key} onChange={(e) => choose({ cluster: e.target.value as ClusterKey })}>
              {clusters.map((c) => (
                <option key={c.key} value={c.key}>
                  {CLUSTER_LABEL[c.key]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="inspect-note">
        {requests === 0
          ? client === YOU_ID
            ? 'No requests from You in the recent events: send one from the You panel.'
            : `No requests from ${clientName} in the engine's recent events yet.`
          : `${clientName}'s last ${requests} request${requests === 1 ? '' : 's'} up to ${(view.snapshot.time / 1000).toFixed(2)} s, oldest first. Click one to inspect it.`}
        {journey.hiddenNodes > 0
          ? ` ${journey.hiddenNodes} server${journey.hiddenNodes === 1 ? '' : 's'} not on this path hidden.`
          : ''}
      </p>
      <Markers ids={ids} />
      <div className="journey-lanes" style={columns} aria-hidden="true">
        {journey.lanes.map((lane) => (
          <span key={lane.id} className={`journey-lane journey-lane-${lane.kind}`}>
            {lane.label}
          </span>
        ))}
      </div>
      <ol
        ref={list}
        className="journey-rows"
        aria-label={`Journey of ${clientName}: lanes ${journey.lanes.map((lane) => lane.label).join(', ')}; oldest first`}
      >
        {journey.items.map((item) =>
          item.kind === 'request' ? (
            <RequestRow key={item.key} item={item} lanes={journey.lanes} ids={ids} onOpen={() => open(item)} />
          ) : (
            <MarkRow key={item.key} item={item} lanes={journey.lanes} />
          ),
        )}
      </ol>
    </div>
  );
}
