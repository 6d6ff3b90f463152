import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Execution, StartExecution } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import { executionKeys, executionOptions } from './api';

/** The execution shown on the page (polled until done), plus starting and cancelling one. */
export function useExecution(executionId: string | undefined) {
  const queryClient = useQueryClient();
  const remember = (execution: Execution) => queryClient.setQueryData(executionKeys.detail(execution.id), execution);

  const execution = useQuery({ ...executionOptions(executionId ?? ''), enabled: executionId !== undefined });
  const start = useMutation({ mutationFn: (body: StartExecution) => api.startExecution(body), onSuccess: remember });
  const cancel = useMutation({ mutationFn: (id: string) => api.cancelExecution(id), onSuccess: remember });

  return { execution, start, cancel };
}
