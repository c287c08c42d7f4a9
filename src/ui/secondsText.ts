/**
 * Simulated time as the room reads it, "14.7 s": rounded from whole tenths of a second, so a step
 * of one second always moves the figure by exactly 1.0 (toFixed on ms / 1000 rounds 3.85 up to
 * 3.9 but 4.85 down to 4.8: binary floating point), and a moment reads the same wherever it is shown.
 */
export function secondsText(ms: number): string {
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}
