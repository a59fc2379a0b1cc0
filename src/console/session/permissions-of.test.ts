import { expect, it } from 'vitest';
import { describeCaller, permissionsOf } from './permissions-of.ts';

it('gives the admin everything, the client token reading and checking, an access key its own usage', () => {
  expect(permissionsOf({ role: 'admin' })).toEqual({ manageProviders: true, readProviders: true, manageKeys: true, manageRoutes: true, usage: 'all', ownKey: false });
  expect(permissionsOf({ role: 'client' })).toEqual({ manageProviders: false, readProviders: true, manageKeys: false, manageRoutes: false, usage: 'none', ownKey: false });
  expect(permissionsOf({ role: 'access-key', keyId: 'k1', keyName: 'alice' })).toEqual({ manageProviders: false, readProviders: false, manageKeys: false, manageRoutes: false, usage: 'own', ownKey: true });
});

it('names the caller', () => {
  expect(describeCaller({ role: 'admin' })).toBe('Admin');
  expect(describeCaller({ role: 'client' })).toBe('Client token');
  expect(describeCaller({ role: 'access-key', keyId: 'k1', keyName: 'alice' })).toBe('Access key alice');
});
