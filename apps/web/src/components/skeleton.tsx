/** Placeholder while data loads; the live region tells screen readers what is happening. */
export function Skeleton({ label = 'Loading…', height = 220 }: { label?: string; height?: 120 | 220 | 280 }) {
  return (
    <div className={`skeleton skeleton--h${height}`} role="status">
      <span className="sr-only">{label}</span>
    </div>
  );
}
