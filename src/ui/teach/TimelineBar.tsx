/**
 * The run so far as a scrubber: drag back to any moment (the engine replays it exactly), step back
 * a second, see the teacher's commands as marks, and go back to live. A command given in the past
 * forks the run there.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Command } from '../../engine';
import { useSim } from '../../state/SimulationProvider';
import { nodeLabel } from '../../state/labels';
import { whatIfChoices } from '../../state/whatIfChoices';
import { isCommandMark } from '../../state/timeline';
import { secondsText } from '../secondsText';

function describe(command: Command): string {
  switch (command.type) {
    case 'failNode':
      return `${nodeLabel(command.node)} failed`;
    case 'recoverNode':
      return `${nodeLabel(command.node)} recovered`;
    case 'addNode':
      return 'node added';
    case 'removeNode':
      return `${nodeLabel(command.node)} removed`;
    case 'drainNode':
      return `${nodeLabel(command.node)} drained`;
    case 'deploy':
      return `deploy of ${command.version ?? 'the next version'} (${command.drain ? 'drain' : 'restart'})`;
    case 'rotateKey':
      return command.nodes === undefined
        ? 'key rotated'
        : `key rotated on ${command.nodes.map((node) => nodeLabel(node)).join(', ')}`;
    case 'setVerify':
      return `${nodeLabel(command.node)}: ${command.verify ? 'checks signatures again' : 'lazy (no signature check)'}`;
    case 'banUser':
      return `user ${command.user} banned`;
    case 'failStore':
      return 'store failed';
    case 'recoverStore':
      return 'store recovered';
    case 'cutStoreLink':
      return `${nodeLabel(command.node)}: store link cut`;
    case 'restoreStoreLink':
      return `${nodeLabel(command.node)}: store link restored`;
  }
}

/** Where a mark sits along the track, in percent: always on it, whatever the times. */
function markPercent(timeMs: number, spanMs: number): number {
  return spanMs <= 0 ? 0 : Math.min(100, Math.max(0, (timeMs / spanMs) * 100));
}

export function TimelineBar() {
  const { timeMs, headMs, allMarks, progress } = useSim(
    useShallow((s) => ({
      timeMs: s.clusters[0]?.snapshot.time ?? 0,
      headMs: s.timeline.headMs,
      allMarks: s.timeline.marks,
      progress: s.whatIfProgress,
    })),
  );
  // The teacher's actions, not the page's own requests (the timeline makes a new list on each change).
  const marks = useMemo(() => allMarks.filter(isCommandMark), [allMarks]);
  const seek = useSim((s) => s.seek);
  const setPlaying = useSim((s) => s.setPlaying);
  const whatIf = useSim((s) => s.whatIf);
  const scenario = useSim((s) => s.scenario);
  // For benchmarks and the soak: whether the answers on offer are computed ahead (at once when asked).
  const ahead = useSim((s) => s.whatIfsAhead);
  const choices = whatIfChoices(scenario);
  const behind = headMs - timeMs > 50;
  return (
    <div className="timeline-bar">
      <button type="button" onClick={() => seek(timeMs - 1_000)} disabled={timeMs <= 0}>
        Step back
      </button>
      <div className="timeline-track">
        <input
          type="range"
          aria-label="Timeline"
          aria-valuetext={`${secondsText(timeMs)} of ${secondsText(headMs)}`}
          min={0}
          max={Math.max(headMs, 0)}
          step={100}
          value={Math.min(timeMs, headMs)}
          onChange={(event) => seek(Number(event.currentTarget.value))}
        />
        <ol className="timeline-marks" aria-label="Teacher actions">
          {marks.map((mark, index) => (
            <li key={index} style={{ left: `${markPercent(mark.timeMs, headMs)}%` }} data-kind={mark.command.type}>
              {/* Contract §4: only node buttons may start with a server's label. */}
              <button
                type="button"
                title={`${describe(mark.command)} at ${secondsText(mark.timeMs)}`}
                onClick={() => seek(Math.max(0, mark.timeMs - 2_000))}
              >
                <span className="visually-hidden">{`Rewind to before ${describe(mark.command)} at ${secondsText(mark.timeMs)}`}</span>
              </button>
            </li>
          ))}
        </ol>
      </div>
      <span className="timeline-time">
        {secondsText(timeMs)}
        {behind && <> / {secondsText(headMs)}</>}
      </span>
      {behind && (
        <button
          type="button"
          onClick={() => {
            seek(headMs);
            setPlaying(true);
          }}
        >
          Back to live
        </button>
      )}
      {progress !== null && (
        <span className="timeline-whatif" role="status">
          <progress aria-label="What-if replay" max={1} value={progress.fraction} />
          {` ${Math.floor(progress.fraction * 100)} %`}
        </span>
      )}
      {choices.length > 0 && progress === null && (
        <select
          aria-label="What if"
          data-computed-ahead={ahead}
          title="Replay this run from the start with one setting changed: same users, same failures"
          value=""
          onChange={(event) => {
            const choice = choices[Number(event.currentTarget.value)];
            if (choice !== undefined) void whatIf(choice.change, { label: choice.label });
          }}
        >
          <option value="" disabled>
            What if…
          </option>
          {choices.map((choice, index) => (
            <option key={choice.label} value={index}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
