import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Me } from '@access-monitor/contracts';
import { meOptions } from '../lib/session/api';
import { ForbiddenPanel } from './forbidden-panel';

/** The panel as a user signed in with `authMode` and no role sees it, as HTML. */
function panelFor(authMode: Me['authMode']): string {
  const client = new QueryClient();
  client.setQueryData(meOptions().queryKey, { username: 'dana', roles: [], authMode, verbs: {} } satisfies Me);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ForbiddenPanel />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('ForbiddenPanel', () => {
  it('gives a local user the users command to copy, not a Teleport administrator to ask', () => {
    const html = panelFor('local');
    expect(html).toContain('access-monitor users add dana --roles auditor --replace');
    expect(html).toContain('Copy command');
    expect(html).not.toContain('Teleport administrator');
    expect(html).not.toContain('kind: role');
  });

  it('gives a Teleport user the role YAML to copy and their Teleport administrator to ask', () => {
    const html = panelFor('teleport');
    expect(html).toContain('Ask your Teleport administrator');
    expect(html).toContain('kind: role');
    expect(html).toContain('Copy role YAML');
    expect(html).not.toContain('access-monitor users add');
  });
});
