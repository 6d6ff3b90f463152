import { useEffect, useState } from 'react';

/** Seconds since `active` last became true for this `run` (a new window or "Load again" is a new run). */
export function useElapsedSeconds(active: boolean, run: string): number {
  const [tick, setTick] = useState({ run, seconds: 0 });
  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => setTick({ run, seconds: Math.floor((Date.now() - started) / 1000) }), 1000);
    return () => clearInterval(timer);
  }, [active, run]);
  return active && tick.run === run ? tick.seconds : 0;
}

interface OverviewProgressProps {
  ready: number;
  total: number;
  loading: boolean;
  stopped: boolean;
  seconds: number;
  onStop: () => void;
  onResume: () => void;
}

/** How far the overview is ("2 of 5 parts ready"), with Stop while its queries run and Load again once stopped. */
export function OverviewProgress({ ready, total, loading, stopped, seconds, onStop, onResume }: OverviewProgressProps) {
  if (!loading && !stopped) return null;
  return (
    <div className="card overview-progress" data-testid="overview-progress">
      <p role="status" className="overview-progress__text">
        {loading ? `Running the overview's audit queries: ${ready} of ${total} parts ready.` : `Stopped: ${ready} of ${total} parts ready.`}
      </p>
      {loading ? (
        <>
          <span className="overview-progress__elapsed" aria-hidden="true">
            {seconds} s
          </span>
          <button type="button" className="btn btn--secondary" onClick={onStop} data-testid="overview-stop">
            Stop loading
          </button>
        </>
      ) : (
        <button type="button" className="btn btn--secondary" onClick={onResume} data-testid="overview-resume">
          Load the rest
        </button>
      )}
    </div>
  );
}
