import type { ApiRole, PolicedRequest } from '@cairn/api-policy';
import { ViewerResolver } from './viewer.resolver';

const asRole = (role: ApiRole) =>
  new ViewerResolver().viewer({ principal: { name: `${role}-1`, role } } as unknown as PolicedRequest);

it('tells an investigator every restricted field and filter is theirs', () => {
  expect(asRole('investigator')).toEqual({
    name: 'investigator-1',
    role: 'investigator',
    mayRead: ['AuditEvent.original', 'Actor.sourceIps'],
    mayFilter: ['sourceIp'],
  });
});

it('tells an auditor neither originals nor client addresses are theirs, to read or to filter by', () => {
  expect(asRole('auditor')).toMatchObject({ mayRead: [], mayFilter: [] });
});

it('tells a SIEM it may read and filter by addresses but not originals', () => {
  expect(asRole('siem')).toMatchObject({ mayRead: ['Actor.sourceIps'], mayFilter: ['sourceIp'] });
});

it('refuses a request that carries no principal', () => {
  expect(() => new ViewerResolver().viewer({} as PolicedRequest)).toThrow(/bearer token/);
});
