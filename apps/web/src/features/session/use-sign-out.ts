import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { paths } from '../../lib/paths';
import { sessionKeys } from '../../lib/session/api';

/** `POST /logout`, then forget everything cached for this user and show the login page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationKey: sessionKeys.logout(),
    mutationFn: () => api.logout(),
    onSuccess: async () => {
      // Stop polls and fetches first, so nothing refills the cache with answers meant for the old session.
      await queryClient.cancelQueries();
      queryClient.clear();
      await navigate(paths.login(), { replace: true });
    },
  });
}
