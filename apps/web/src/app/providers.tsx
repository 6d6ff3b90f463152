import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ProblemTypes } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from '../api/client';

// Problems that a second try will not change: the answer would be the same, only later.
const LASTING: ReadonlySet<string> = new Set([ProblemTypes.dataUnavailable, ProblemTypes.engineFailed, ProblemTypes.scanLimit, ClientProblemTypes.invalidResponse]);

/** One retry for network failures and transient server errors; none for 4xx (bad SQL, refused window, missing execution). */
const shouldRetry = (failureCount: number, error: unknown) => {
  if (failureCount >= 1) return false;
  if (!(error instanceof ApiError)) return true;
  return (error.status === 0 || error.status >= 500) && !LASTING.has(error.type);
};

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
