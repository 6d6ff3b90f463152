/** Steps a count axis may use: 1, 2 or 5 times a power of ten, so ticks read as round, evenly spaced integers. */
const NICE = [1, 2, 5] as const;

export interface CountAxis {
  /** Upper bound of the axis: the last tick. */
  top: number;
  /** Every tick from 0 to `top`, evenly spaced. */
  ticks: number[];
}

/**
 * Integer ticks for a count axis from 0 to at least `max`, at most `maxTicks` intervals: recharts' own choice can
 * skip a step ("0/20/40/80") while its gridlines stay even, which reads as a logarithmic scale.
 */
export function countAxis(max: number, maxTicks = 4): CountAxis {
  if (!Number.isFinite(max) || max <= 0) return { top: 1, ticks: [0, 1] };
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const nice = NICE.map((n) => n * power).find((s) => Math.ceil(max / s) <= maxTicks);
    if (nice !== undefined) {
      step = nice;
      break;
    }
  }
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
