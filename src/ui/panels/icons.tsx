/**
 * The few control icons, as inline SVG: Unicode glyphs such as ❚❚ render differently (or not at
 * all) in projector fonts. Decorative only — every button also says its name in words.
 */
const common = {
  width: '1em',
  height: '1em',
  viewBox: '0 0 16 16',
  'aria-hidden': true,
  focusable: false,
  className: 'icon',
} as const;

export function PlayIcon() {
  return (
    <svg {...common}>
      <path d="M4 2.5v11l9.5-5.5z" fill="currentColor" />
    </svg>
  );
}

export function PauseIcon() {
  return (
    <svg {...common}>
      <path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor" />
    </svg>
  );
}

export function StepIcon() {
  return (
    <svg {...common}>
      <path d="M3 2.5v11l8-5.5z M11.5 2.5h2v11h-2z" fill="currentColor" />
    </svg>
  );
}

export function ResetIcon() {
  return (
    <svg {...common}>
      <path d="M13 8a5 5 0 1 1-1.6-3.7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      <path d="M13.8 1.8v4.4H9.4z" fill="currentColor" />
    </svg>
  );
}
