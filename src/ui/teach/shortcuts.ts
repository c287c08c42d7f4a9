/** The keyboard map, shared by the handler and the help overlay so they never disagree. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: '1 – 9', does: 'fail / recover Server 1 … Server 9 (by name)' },
  { keys: 'Space', does: 'play / pause' },
  { keys: '→', does: 'step one simulated second (paused)' },
  { keys: '+  −', does: 'faster / slower' },
  { keys: 'C', does: 'Compare on / off (back to the mode you left)' },
  { keys: 'L', does: 'lessons' },
  { keys: 'Page Down  Page Up', does: 'next / previous lesson step (remote)' },
  { keys: '.  B', does: 'blank and pause; again: back as it was (remote)' },
  { keys: 'P', does: 'projector mode' },
  { keys: 'F', does: 'full screen' },
  { keys: '?', does: 'this help' },
  { keys: 'Esc', does: 'close what is open' },
];

const SPEED_STEPS = [0.25, 0.5, 1, 2, 5, 10, 20] as const;

/** The next speed up (+1) or down (−1) from `current` on the slider's stops. */
export function nextSpeed(current: number, direction: 1 | -1): number {
  if (direction === 1)
    return SPEED_STEPS.find((speed) => speed > current + 1e-9) ?? SPEED_STEPS[SPEED_STEPS.length - 1]!;
  return [...SPEED_STEPS].reverse().find((speed) => speed < current - 1e-9) ?? SPEED_STEPS[0];
}
