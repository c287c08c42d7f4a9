/**
 * Replays a lesson up to a step, headless: the clusters a room sees at step k, built the same way
 * every time (the engine is deterministic), so a link can open a lesson at any step.
 */
import { createSimulation, type Command, type Simulation } from '../engine';
import { clusterModesFor, DEFAULT_SCENARIO, simConfigFor, type Scenario } from '../state/scenario';
import type { Lesson } from './types';

export interface LessonState {
  scenario: Scenario;
  sims: Map<'stateless' | 'stateful', Simulation>;
}

/** A lesson's tokens are issued from a fixed moment, so replays are identical byte for byte. */
export const LESSON_EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** What a lesson replay drives: headless clusters (tests, links), or the page's store (its timeline). */
export interface LessonDriver {
  /** Starts a new run of `scenario` at time 0, tokens issued from `epochMs`. */
  start(scenario: Scenario, epochMs: number): void;
  apply(command: Command): void;
  advance(ms: number): void;
}

function buildClusters(scenario: Scenario): LessonState['sims'] {
  return new Map(
    clusterModesFor(scenario).map((mode) => [mode, createSimulation(simConfigFor(scenario, mode, LESSON_EPOCH_MS))]),
  );
}

/**
 * Runs steps 0..stepIndex: each step's scenario (a new one starts the clusters afresh), its
 * commands, then its traffic time. With `runLast: false` the last step stops before its commands
 * (a "predict" pause).
 * @example
 * const { sims } = replayLessonTo(findLesson('failure')!, 1);
 * sims.get('stateful')!.metrics().sessionsLost; // > 0
 */
export function replayLessonTo(lesson: Lesson, stepIndex: number, options: { runLast?: boolean } = {}): LessonState {
  let sims: LessonState['sims'] = new Map();
  const scenario = playLessonTo(
    lesson,
    stepIndex,
    {
      start: (next) => {
        sims = buildClusters(next);
      },
      apply: (command) => {
        for (const sim of sims.values()) sim.apply(command);
      },
      advance: (ms) => {
        for (const sim of sims.values()) sim.advance(ms);
      },
    },
    options,
  );
  return { scenario, sims };
}

/**
 * The same walk through any driver: the page plays it through its store, so the lesson's commands
 * are marks on the timeline (rewind, what-if) like the teacher's own. Returns the step's scenario.
 */
export function playLessonTo(
  lesson: Lesson,
  stepIndex: number,
  driver: LessonDriver,
  options: { runLast?: boolean } = {},
): Scenario {
  const last = Math.max(0, Math.min(stepIndex, lesson.steps.length - 1));
  // Only the steps since the last change of scenario shape the clusters shown.
  let first = 0;
  for (let index = 0; index <= last; index++) if (lesson.steps[index]!.scenario !== undefined) first = index;
  let scenario: Scenario = { ...DEFAULT_SCENARIO };
  for (let index = 0; index <= first; index++) scenario = { ...scenario, ...lesson.steps[index]!.scenario };
  driver.start(scenario, LESSON_EPOCH_MS);
  for (let index = first; index <= last; index++) {
    const step = lesson.steps[index]!;
    if (index === last && options.runLast === false) break;
    for (const command of step.commands ?? []) driver.apply(command);
    driver.advance(step.runMs ?? 0);
  }
  return scenario;
}

/** Fills `{metric}` placeholders of a reveal line from a cluster's metrics. */
export function fillReveal(text: string, sim: Simulation): string {
  const all = sim.metrics();
  const metrics: Record<string, unknown> = {
    ...all,
    failed: all.requests.failed,
    total: all.requests.total,
    p95: Math.round(all.latencyMs.p95),
  };
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = metrics[name];
    return typeof value === 'number' ? String(value) : whole;
  });
}
