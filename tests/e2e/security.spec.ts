/** The loopback API refuses requests without the per-launch token and validates every argument. */
import { expect, test } from './fixtures';

test('an API request without the token is refused', async ({ request, elyte }) => {
  const noToken = await request.post(`${elyte.origin}/api/call/library.tree`, { data: {} });
  expect([401, 403]).toContain(noToken.status());
  const wrongToken = await request.post(`${elyte.origin}/api/call/library.tree`, {
    data: {},
    headers: { 'x-elyte-token': 'x'.repeat(elyte.token.length) },
  });
  expect([401, 403]).toContain(wrongToken.status());
  const events = await request.get(`${elyte.origin}/api/events`);
  expect([401, 403]).toContain(events.status());
});

test('a malformed argument is rejected with a validation error and nothing runs', async ({
  request,
  elyte,
}) => {
  const headers = { 'x-elyte-token': elyte.token };
  const bad = await request.post(`${elyte.origin}/api/call/samples.create`, { data: { name: 42 }, headers });
  expect(bad.status()).toBe(400);
  const body = (await bad.json()) as { ok: boolean; error: { kind: string; message: string } };
  expect(body.ok).toBe(false);
  expect(body.error.kind).toBe('invalid-argument');
  expect(body.error.message).toMatch(/name/);
  // Nothing was created.
  const tree = await request.post(`${elyte.origin}/api/call/library.tree`, { data: {}, headers });
  const treeBody = (await tree.json()) as { ok: boolean; value: { samples: unknown[] } };
  expect(treeBody.value.samples).toHaveLength(0);

  const unknown = await request.post(`${elyte.origin}/api/call/library.dropEverything`, {
    data: {},
    headers,
  });
  expect(unknown.status()).toBe(400);
});

test('requests addressed to another host name are refused (DNS rebinding)', async ({ request, elyte }) => {
  const rebinding = await request.post(`${elyte.origin}/api/call/app.info`, {
    data: {},
    headers: { 'x-elyte-token': elyte.token, host: 'evil.example:80' },
  });
  expect(rebinding.status()).toBe(403);
});
