import { describe, expect, it } from 'vitest';
import { Me } from '@access-monitor/contracts';
import { createRoleRegistry, PRESET_ROLES } from '@access-monitor/rbac';
import { presentMe } from './me-router';

const roles = createRoleRegistry(PRESET_ROLES);
const auditor = { username: 'alice', roles: ['auditor'] };

describe('GET /me presenter', () => {
  it('offers no session player without teleport.proxy_url, so no "Play in Teleport" link is shown', () => {
    const me = presentMe(auditor, 'local', roles);
    expect(me).not.toHaveProperty('sessionPlayer');
    expect(Me.parse(me)).toEqual(me);
  });

  it('hands the dashboard Teleport\'s proxy and cluster when configured', () => {
    const me = presentMe(auditor, 'teleport', roles, { proxyUrl: 'https://teleport.example.com', cluster: 'example' });
    expect(Me.parse(me).sessionPlayer).toEqual({ proxyUrl: 'https://teleport.example.com', cluster: 'example' });
  });
});
