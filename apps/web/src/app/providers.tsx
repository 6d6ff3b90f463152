import { useState, type ReactNode } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { ProblemTypes } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from '../api/client';
import { sessionKeys } from '../lib/session/api';
import { isUnauthenticated } from '../lib/session/session-problems';

// Problems that a second try will not change: the answer would be the same, only later.
const LASTING: ReadonlySet<string> = new Set([ProblemTypes.dataUnavailable, ProblemTypes.engineFailed, ProblemTypes.scanLimit, ClientProblemTypes.invalidResponse]);

/** One retry for network failures and transient server errors; none for 4xx (bad SQL, refused window, missing execution). */
const shouldRetry = (failureCount: number, error: unknown) => {
  if (failureCount >= 1) return false;
  if (!(error instanceof ApiError)) return true;
  return (error.status === 0 || error.status >= 500) && !LASTING.has(error.type);
};

const isSessionKey = (key: QueryKey | undefined) => key?.[0] === sessionKeys.all[0];

function createQueryClient(): QueryClient {
  // A 401 from any call means the session ended: ask `/me` again, and the session guard takes the user to sign in.
  const recheckSession = (error: unknown, key: QueryKey | undefined) => {
    if (isUnauthenticated(error) && !isSessionKey(key)) void queryClient.invalidateQueries({ queryKey: sessionKeys.me() });
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => recheckSession(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error, _variables, _context, mutation) => recheckSession(error, mutation.options.mutationKey) }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
