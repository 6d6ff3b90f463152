import { lazy } from 'react';

// recharts loads on the first finding card, in the same kind of chunk as the usage charts.
export const FindingTrendChart = lazy(() => import('./finding-trend-chart').then((m) => ({ default: m.FindingTrendChart })));
