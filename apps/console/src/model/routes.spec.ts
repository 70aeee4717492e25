import { parseRoute, routeHref, withParam } from './routes';

it('reads the page and its parameters from the hash', () => {
  expect(parseRoute('#/timeline?containerId=a1b2c3d4e5f6&event=x')).toEqual({
    page: 'timeline',
    params: { containerId: 'a1b2c3d4e5f6', event: 'x' },
  });
});

it('opens search for an empty, unknown or malformed hash', () => {
  for (const hash of ['', '#', '#/nothing', '#timeline', '#/timeline/../x']) {
    expect(parseRoute(hash)).toEqual({ page: 'search', params: {} });
  }
});

it('writes what it reads, leaving empty parameters out and escaping the rest', () => {
  const href = routeHref('actor', { actor: 'system:serviceaccount:ci:deployer', from: '', to: undefined });
  expect(href).toBe('#/actor?actor=system%3Aserviceaccount%3Aci%3Adeployer');
  expect(parseRoute(href)).toEqual({ page: 'actor', params: { actor: 'system:serviceaccount:ci:deployer' } });
});

it('sets and removes one parameter, keeping the others', () => {
  const route = parseRoute('#/compliance?framework=PCI_DSS');
  const opened = withParam(route, 'event', 'abc');
  expect(opened).toBe('#/compliance?framework=PCI_DSS&event=abc');
  expect(withParam(parseRoute(opened), 'event', undefined)).toBe('#/compliance?framework=PCI_DSS');
});
