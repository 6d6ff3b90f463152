import { describe, expect, it } from 'vitest';
import { accessFromEffectiveVerbs } from '@access-monitor/rbac';
import { allowedPages, homePathFor } from './page-access';

const auditor = accessFromEffectiveVerbs({ security_report: ['list', 'read', 'use'], audit_query: ['list', 'read', 'use'] });
const queriesOnly = accessFromEffectiveVerbs({ audit_query: ['use'] });
const nobody = accessFromEffectiveVerbs({});

describe('allowedPages', () => {
  it('offers an auditor every section', () => {
    expect(allowedPages(auditor).map((p) => p.label)).toEqual(['Overview', 'Security reports', 'Audit queries', 'Saved queries', 'Query history']);
  });

  it('hides the overview from a user who may not use security reports', () => {
    expect(allowedPages(queriesOnly).map((p) => p.label)).toEqual(['Audit queries', 'Query history']);
  });

  it('offers a user who may only read audit queries the saved ones, not the editor', () => {
    const readOnly = accessFromEffectiveVerbs({ security_report: ['use'], audit_query: ['list', 'read'] });
    expect(allowedPages(readOnly).map((p) => p.label)).toEqual(['Overview', 'Saved queries']);
  });

  it('offers response actions to a user who may list them', () => {
    const responder = accessFromEffectiveVerbs({ response_action: ['list', 'read'] });
    expect(allowedPages(responder).map((p) => p.label)).toEqual(['Response actions']);
    expect(allowedPages(accessFromEffectiveVerbs({ response_action: ['read'] }))).toEqual([]);
  });

  it('offers nothing to a user without an Access Monitoring role', () => {
    expect(allowedPages(nobody)).toEqual([]);
  });
});

describe('homePathFor', () => {
  it('lands each user on the first section they may open', () => {
    expect(homePathFor(auditor)).toBe('/');
    expect(homePathFor(queriesOnly)).toBe('/queries/new');
  });

  it('lands a user without roles on the overview, where the forbidden panel explains what to ask for', () => {
    expect(homePathFor(nobody)).toBe('/');
  });
});
