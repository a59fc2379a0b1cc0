import { expect, it } from 'vitest';
import { permissionsOf } from '../session/permissions-of.ts';
import { readHashPath } from './hash-path.ts';
import { pickView } from './pick-view.ts';

const views = [
  { path: 'providers', allowed: (can: ReturnType<typeof permissionsOf>) => can.readProviders },
  { path: 'playground', allowed: () => true },
  { path: 'keys', allowed: (can: ReturnType<typeof permissionsOf>) => can.manageKeys || can.ownKey },
];

it('reads the view from the hash', () => {
  expect(readHashPath('#/keys')).toBe('keys');
  expect(readHashPath('#keys')).toBe('keys');
  expect(readHashPath('#/usage/extra?x=1')).toBe('usage');
  expect(readHashPath('')).toBe('');
});

it('opens the view a path names when the caller may use it, else the caller\'s first', () => {
  const admin = permissionsOf({ role: 'admin' });
  const client = permissionsOf({ role: 'client' });
  const accessKey = permissionsOf({ role: 'access-key', keyId: 'k' });
  expect(pickView(views, 'keys', admin).path).toBe('keys');
  expect(pickView(views, '', admin).path).toBe('providers');
  expect(pickView(views, 'keys', client).path).toBe('providers');
  expect(pickView(views, 'providers', accessKey).path).toBe('playground');
  expect(pickView(views, 'keys', accessKey).path).toBe('keys');
  expect(pickView(views, 'no-such-view', accessKey).path).toBe('playground');
});
