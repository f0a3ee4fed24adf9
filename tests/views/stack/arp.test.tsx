// @vitest-environment jsdom
/**
 * An ARP step (`Step.link`, no packet) happens at layer 2 of the card that sends the frame: the browser's for
 * the request, the router's for the reply. The stage lights that layer and names ARP there.
 */
import { act } from '@testing-library/react';
import { HostStack } from '../../../src/views/stack/HostStack';
import { RouterStack } from '../../../src/views/stack/RouterStack';
import { stageHosts, stageRouter } from '../../../src/views/stack/layout';
import { withArpSteps } from '../../support/arpSteps';
import { renderWithStore } from '../../support/renderWithStore';

describe('stacks on an ARP step', () => {
  const arp = withArpSteps();
  const host = (id: string) => arp.timeline.hosts.find((h) => h.id === id)!;

  it("lights layer 2 of the frame's sender: the browser for the request, the router for the reply", () => {
    const { store } = renderWithStore(
      <>
        <HostStack host={host('client')} side="left" />
        <RouterStack />
        <HostStack host={host('server')} side="right" />
      </>,
      { timeline: arp.timeline, step: arp.request + 1 },
    );
    const current = () => [...document.querySelectorAll('[aria-current="step"]')];
    expect(current()).toHaveLength(1);
    expect(current()[0]!.getAttribute('value')).toBe('2');
    expect(current()[0]).toHaveTextContent('Ethernet II · ARP');
    expect(current()[0]!.closest('section')).toHaveAccessibleName(/^Browser/);
    act(() => store.getState().seek(arp.reply));
    expect(current()).toHaveLength(1);
    expect(current()[0]!.getAttribute('value')).toBe('2');
    expect(current()[0]!.closest('section')).toHaveAccessibleName(/^Router/);
    // The next step is the packet's own again: layer 2 says Ethernet only.
    act(() => store.getState().seek(arp.next));
    expect(document.body.textContent).not.toContain('· ARP');
  });

  it('stands the waiting packet’s hosts and the router on the stage', () => {
    const step = arp.timeline.steps[arp.reply]!;
    expect(stageHosts(arp.timeline, step)).toMatchObject({ left: { id: 'client' }, right: { id: 'server' } });
    expect(stageRouter(arp.timeline, step)?.router.id).toBe('router-1');
  });

  it('with several browsers, the one whose packet waits for the answer stands on the left', () => {
    const second = { ...host('client'), id: 'client-2', label: 'Browser 2' };
    const [p0, ...rest] = arp.timeline.packets;
    const timeline = {
      ...arp.timeline,
      hosts: [...arp.timeline.hosts, second],
      packets: [{ ...p0!, from: 'client-2' }, ...rest],
    };
    // The reply's step is the router's: only the waiting packet names the browser.
    expect(stageHosts(timeline, timeline.steps[arp.reply])).toMatchObject({ left: { id: 'client-2' } });
  });
});
