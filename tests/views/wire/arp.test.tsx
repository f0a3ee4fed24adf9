// @vitest-environment jsdom
/**
 * On a step about an ARP frame (`Step.link`) the wire strip shows that frame crossing: its number, sender,
 * receiver and question in the caption, and its blocks (preamble, Ethernet, ARP, padding to 60 bytes, FCS);
 * a lost one is crossed out.
 */
import { screen } from '@testing-library/react';
import { stageHosts } from '../../../src/views/stack/layout';
import { unitAt } from '../../../src/views/stack/wireUnit';
import { barPlacement } from '../../../src/views/wire/layout';
import { WireStrip } from '../../../src/views/wire/WireStrip';
import { withArpSteps } from '../../support/arpSteps';
import { renderWithStore } from '../../support/renderWithStore';

const blocks = (c: HTMLElement) =>
  [...c.querySelectorAll('.block')].map(
    (b) => `${b.querySelector('.block-name')!.textContent}:${b.querySelector('.block-size')!.textContent}`,
  );

describe('WireStrip on an ARP step', () => {
  it('shows the request crossing, broadcast, with its question', () => {
    const arp = withArpSteps();
    const { container } = renderWithStore(<WireStrip />, { timeline: arp.timeline, step: arp.request + 1 });
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.querySelector('.wire-route')!.textContent).toBe(
      '#1 Browser → broadcast: Who has 192.0.2.1? Tell 192.0.2.10',
    );
    // IEEE 802.3: 8 bytes of preamble and SFD, the 42-byte frame padded to 60, the 4-byte FCS.
    expect(heading).toHaveTextContent('on the cable: 72 bytes');
    expect(blocks(container)).toEqual([
      'preamble:8 B',
      'Ethernet:14 B',
      'ARP:28 B',
      'padding:18 B',
      'FCS:4 B',
    ]);
    expect(container.querySelector('.lost-mark')).toBeNull();
    expect(screen.getByRole('img')).toHaveAccessibleName(/^The unit on the wire from Browser to broadcast: /);
  });

  it('names the reply by its sender and receiver', () => {
    const arp = withArpSteps();
    renderWithStore(<WireStrip />, { timeline: arp.timeline, step: arp.reply + 1 });
    expect(screen.getByRole('heading', { level: 2 }).querySelector('.wire-route')!.textContent).toBe(
      '#2 Router → Browser: 192.0.2.1 is at 02:00:00:00:00:01',
    );
  });

  it('crosses out a lost frame', () => {
    const arp = withArpSteps({ lost: true });
    const { container } = renderWithStore(<WireStrip />, { timeline: arp.timeline, step: arp.request + 1 });
    expect(container.querySelector('.lost-mark')).toHaveTextContent('lost');
    expect(screen.getByRole('img')).toHaveAccessibleName(/, lost:/);
  });

  it('the request slides from the browser towards the server side, the reply back', () => {
    const arp = withArpSteps();
    const place = (i: number) => {
      const step = arp.timeline.steps[i]!;
      return barPlacement(800, unitAt(arp.timeline, step), step, stageHosts(arp.timeline, step));
    };
    const request = place(arp.request);
    const reply = place(arp.reply);
    // Both arrive at the far side from their sender: the bar starts at the sender's and travels across.
    expect(request.travelFrom).toBeLessThan(0);
    expect(reply.travelFrom).toBeGreaterThan(0);
    expect(request.x).toBeGreaterThan(reply.x);
  });
});
