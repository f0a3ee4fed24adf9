import { FIXTURE, STEPS, WALK_START, CLIENT, SERVER } from '../fixture';
import { hostBadges, routerRows, stackRows, stageHosts, stageRouter } from '../../../src/views/stack/layout';
import type { Step } from '../../../src/sim/types';
import { parseLink } from '../../../src/lesson/link';
import { ALL_STORIES } from '../../../src/sim/stories';
import { buildTimeline } from '../../../src/sim/timeline';

const walkDown = STEPS.slice(WALK_START, WALK_START + 7);
const walkUp = STEPS.slice(WALK_START + 8, WALK_START + 15);

describe('stackRows', () => {
  it('lists seven layers top-down with unit names and the real protocol', () => {
    const rows = stackRows(FIXTURE, STEPS[0], CLIENT);
    expect(rows.map((r) => r.osi)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(rows.map((r) => r.unit)).toEqual(['data', 'data', 'data', 'segment', 'packet', 'frame', 'bits']);
    expect(rows.find((r) => r.osi === 4)!.protocol).toBe('TCP :49152');
    expect(rows.find((r) => r.osi === 2)!.detail).toBe('Ethernet II, MAC address 02:00:00:00:00:0a');
    expect(stackRows(FIXTURE, STEPS[0], SERVER).find((r) => r.osi === 4)!.protocol).toBe('TCP :80');
    expect(rows.find((r) => r.osi === 3)!.protocol).toBe('IPv4 192.0.2.10');
    expect(rows.filter((r) => !r.addsHeader).map((r) => r.osi)).toEqual([6, 5]);
  });

  it('over TLS, layer 6 is TLS 1.3 and adds bytes, and says why it fits neither 5 nor 6 alone', () => {
    const t = buildTimeline(parseLink('lesson=wss').state.scenario, ALL_STORIES);
    const rows = stackRows(t, t.steps[0], t.hosts[0]!);
    const six = rows.find((r) => r.osi === 6)!;
    expect(six.protocol).toBe('TLS 1.3');
    expect(six.addsHeader).toBe(true);
    expect(six.detail).toMatch(/neither layer alone/);
    expect(rows.find((r) => r.osi === 5)!.protocol).toBe('TLS session');
    expect(rows.find((r) => r.osi === 4)!.protocol).toMatch(/^TCP :\d+$/);
    expect(stackRows(t, t.steps[0], t.hosts[1]!).find((r) => r.osi === 4)!.protocol).toBe('TCP :443');
  });

  it('marks the active layer, the direction and the trail only on the host where the step happens', () => {
    const at3: Step = walkDown[4]!;
    const client = stackRows(FIXTURE, at3, CLIENT);
    expect(client.filter((r) => r.active).map((r) => [r.osi, r.direction])).toEqual([[3, 'down']]);
    expect(client.filter((r) => r.passed).map((r) => r.osi)).toEqual([7, 6, 5, 4]);
    expect(stackRows(FIXTURE, at3, SERVER).some((r) => r.active || r.passed)).toBe(false);
    const up5 = stackRows(FIXTURE, walkUp[4], SERVER);
    expect(up5.filter((r) => r.active).map((r) => [r.osi, r.direction])).toEqual([[5, 'up']]);
    expect(up5.filter((r) => r.passed).map((r) => r.osi)).toEqual([4, 3, 2, 1]);
  });

  it('names the application protocol from the packet at hand', () => {
    const get = STEPS.find((s) => s.packet === 3)!;
    expect(stackRows(FIXTURE, get, CLIENT)[0]!.protocol).toBe('HTTP');
    expect(stackRows(FIXTURE, walkDown[0], CLIENT)[0]!.protocol).toBe('WebSocket');
    expect(stackRows(FIXTURE, STEPS[0], CLIENT)[0]!.protocol).toBe('HTTP, then WebSocket');
  });
});

describe('hostBadges', () => {
  it('shows TCP state with relative seq/ack, and the WebSocket readyState', () => {
    const step = STEPS[WALK_START]!;
    const badges = hostBadges(step.states.client);
    expect(badges[0]).toMatchObject({ label: 'TCP', value: 'ESTABLISHED', detail: 'next seq 150, ack 130' });
    expect(badges[0]!.title).toContain('1150');
    expect(badges[1]).toMatchObject({ label: 'WebSocket', value: 'OPEN' });
    expect(hostBadges({}).map((b) => b.value)).toEqual(['no connection']);
    expect(hostBadges(STEPS[0]!.states.server)[0]).not.toHaveProperty('detail');
  });

  it('shows Socket.IO connection and sid', () => {
    const b = hostBadges({ sio: { connected: true, sid: 'abc', transport: 'websocket', rooms: ['r1'] } });
    expect(b.find((x) => x.label === 'Socket.IO')).toMatchObject({ value: 'connected', detail: 'sid abc' });
    expect(b.find((x) => x.label === 'Socket.IO')!.title).toContain('rooms r1');
  });
});

describe('stageHosts', () => {
  it('puts the server right and the involved client left', () => {
    const three = { ...FIXTURE, hosts: [CLIENT, { ...CLIENT, id: 'client-2', label: 'Browser 2' }, SERVER] };
    expect(stageHosts(three, STEPS[0])).toMatchObject({ left: { id: 'client' }, right: { id: 'server' } });
    const s = { ...STEPS[0]!, host: 'client-2' };
    expect(stageHosts(three, s).left!.id).toBe('client-2');
  });
});

describe('the router on the stage', () => {
  const t = buildTimeline(parseLink('lesson=websocket&hops=3').state.scenario, ALL_STORIES);

  it('shows the router the step is at (which of how many), else the first; none on one LAN', () => {
    const at2 = t.steps.find((s) => s.host === 'router-2')!;
    expect(stageRouter(t, at2)).toMatchObject({
      router: { id: 'router-2', label: 'Router 2' },
      position: 2,
      count: 3,
    });
    expect(stageRouter(t, t.steps[0])).toMatchObject({ router: { id: 'router-1' }, position: 1, count: 3 });
    const lan = buildTimeline(parseLink('lesson=websocket&hops=0').state.scenario, ALL_STORIES);
    expect(stageRouter(lan, lan.steps[0])).toBeNull();
  });

  it('has layers 3, 2, 1 only, lit as the router walk climbs to 3 and goes back down', () => {
    const router = t.hosts.find((h) => h.id === 'router-1')!;
    const walk = t.steps.filter((s) => s.host === 'router-1' && s.packet === 0);
    expect(walk.map((s) => [s.layer, s.kind])).toEqual([
      [2, 'decapsulate'],
      [3, 'decapsulate'],
      [2, 'encapsulate'],
    ]);
    const lit = walk.map((s) =>
      routerRows(t, s, router)
        .filter((r) => r.active)
        .map((r) => [r.osi, r.direction]),
    );
    expect(lit).toEqual([[[2, 'up']], [[3, 'up']], [[2, 'down']]]);
    const rows = routerRows(t, walk[1], router);
    expect(rows.map((r) => r.osi)).toEqual([3, 2, 1]);
    expect(rows[0]!.protocol).toBe('IPv4 forwarding');
    expect(rows[0]!.detail).toContain('192.0.2.1 and 203.0.113.1');
    // The other routers and the hosts are dark at router 1's steps.
    for (const s of walk) {
      expect(
        routerRows(
          t,
          s,
          t.hosts.find((h) => h.id === 'router-2')!,
        ).some((r) => r.active),
      ).toBe(false);
      expect(stackRows(t, s, t.hosts[0]!).some((r) => r.active)).toBe(false);
    }
  });
});
