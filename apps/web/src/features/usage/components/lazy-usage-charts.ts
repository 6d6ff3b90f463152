import { lazy } from 'react';

// One dynamic import, so recharts and all overview charts share a single lazily loaded chunk.
const charts = () => import('./usage-charts');

export const SessionsPerDayChart = lazy(() => charts().then((m) => ({ default: m.SessionsPerDayChart })));
export const TopUsersChart = lazy(() => charts().then((m) => ({ default: m.TopUsersChart })));
export const MfaCoverageChart = lazy(() => charts().then((m) => ({ default: m.MfaCoverageChart })));
