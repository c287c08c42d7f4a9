/** Small inline icons (no emoji font is guaranteed on a classroom PC). Decorative: text says the same. */
export function LockIcon() {
  return (
    <svg className="stage-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="4" y="10" width="16" height="12" rx="2" fill="currentColor" />
      <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}

export function CartIcon() {
  return (
    <svg className="stage-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M1 3h4l3 12h12l3-9H6.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
      <circle cx="9.5" cy="20" r="2" fill="currentColor" />
      <circle cx="18" cy="20" r="2" fill="currentColor" />
    </svg>
  );
}

export function WarningIcon() {
  return (
    <svg className="stage-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 2 23 22H1Z" fill="currentColor" />
      <path d="M12 9v6M12 17.5v1.5" stroke="var(--warning-ink, #fff)" strokeWidth="2.6" strokeLinecap="round" />
    </svg>
  );
}
