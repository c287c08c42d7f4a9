/**
 * A tiny line chart in plain SVG for the last 60 simulated seconds. One <path>, recomputed a few
 * times per second: far cheaper than a chart library. The newest second sits at the right edge so
 * the line grows in from the right at the start. Gaps (null) break the line instead of faking zero.
 * It is an image with a text summary; the numbers next to it carry the meaning, not the colour.
 */
interface SparklineProps {
  values: readonly (number | null)[];
  min: number;
  max: number;
  /** Text alternative: what the line shows, with its latest value. */
  label: string;
  /** How many points fit the width (the window's length). */
  slots?: number;
  /** A CSS class choosing the line's colour and dash. */
  tone?: string;
}

/** The chart's own coordinate box; `preserveAspectRatio="none"` stretches it to the element. */
const HEIGHT = 100;
/** Keeps a line at the maximum (100 % success) off the top edge, where it would read as a border. */
const TOP_PADDING = 8;

export function sparklinePath(values: readonly (number | null)[], min: number, max: number, slots: number): string {
  const span = max - min || 1;
  const offset = slots - values.length;
  let path = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = offset + i;
    const y = HEIGHT - ((Math.min(max, Math.max(min, value)) - min) / span) * (HEIGHT - TOP_PADDING);
    path += `${drawing ? 'L' : 'M'}${x} ${y.toFixed(1)}`;
    drawing = true;
  });
  return path;
}

export function Sparkline({ values, min, max, label, slots = 60, tone = '' }: SparklineProps) {
  const path = sparklinePath(values, min, max, slots);
  return (
    <svg
      className={`sparkline ${tone}`}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${slots - 1} ${HEIGHT}`}
      preserveAspectRatio="none"
    >
      <line
        className="sparkline-base"
        x1={0}
        x2={slots - 1}
        y1={HEIGHT}
        y2={HEIGHT}
        vectorEffect="non-scaling-stroke"
      />
      <path className="sparkline-line" d={path} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
