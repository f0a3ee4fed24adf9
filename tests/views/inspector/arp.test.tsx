// @vitest-environment jsdom
/**
 * A step about an ARP frame (`Step.link`) shows that frame in the inspector, not the packet that waited for
 * it: its title, its Ethernet and ARP fields (RFC 826) read from its own bytes, the 18 bytes of padding and
 * the FCS the card adds (IEEE 802.3 §3.2.8, §3.2.9); the next packet step shows the packet again.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ethernetFcs, fcsBytes } from '../../../src/protocol/ethernet';
import { Inspector } from '../../../src/views/inspector/Inspector';
import { neverSent, withArpSteps } from '../../support/arpSteps';
import { renderWithStore } from '../../support/renderWithStore';

const hex = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0'));
const shownBytes = (container: HTMLElement) =>
  [...container.querySelectorAll('.hex-bytes .byte')].map((el) => el.textContent);
const selectedOffsets = (container: HTMLElement) =>
  [...container.querySelectorAll('.hex-bytes .byte.is-selected')].map((el) =>
    Number(el.getAttribute('data-offset')),
  );

describe('Inspector on an ARP step', () => {
  const arp = withArpSteps();
  const request = arp.timeline.packets[0]!.arp![0]!;
  const reply = arp.timeline.packets[0]!.arp![1]!;

  it('shows the request: title, summary, size, Ethernet and ARP fields, and its bytes padded to 60 + FCS', () => {
    const { container } = renderWithStore(<Inspector />, { timeline: arp.timeline, step: arp.request + 1 });
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(
      'Frame 1: Browser → everyone (broadcast)',
    );
    expect(container.querySelector('.tag-lost')).toBeNull();
    expect(container.querySelector('.inspector-summary')!.textContent).toBe(
      'Who has 192.0.2.1? Tell 192.0.2.10',
    );
    expect(container.querySelector('.inspector-size')!.textContent).toBe('42 B + 18 padding + 4 FCS');
    const groups = within(screen.getByRole('listbox'))
      .getAllByRole('group')
      .map((g) => g.querySelector('.field-group-title')!.textContent);
    expect(groups).toEqual([expect.stringContaining('Ethernet II'), expect.stringContaining('ARP')]);
    expect(screen.getByRole('option', { name: /^Opcode: request \(1\)/ })).toBeInTheDocument();
    expect(
      screen.getByRole('option', { name: /^Sender MAC address: 02:00:00:00:00:0a/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /^Target IP address: 192\.0\.2\.1\b/ })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /^Destination MAC: ff:ff:ff:ff:ff:ff/ })).toBeInTheDocument();
    // The frame, 18 zero bytes of padding, then the FCS least significant byte first.
    expect(shownBytes(container)).toEqual([
      ...hex(request.frame),
      ...Array<string>(18).fill('00'),
      ...hex(fcsBytes(ethernetFcs(request.frame))),
    ]);
    expect(container.querySelectorAll('.hex-bytes .byte.is-trailer')).toHaveLength(22);
    // No TCP payload to work out: no masking or accept table.
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('radiogroup')).toBeNull();
  });

  it('selecting an ARP field highlights its bytes at their place in the frame and says what it means', async () => {
    const user = userEvent.setup();
    const { container } = renderWithStore(<Inspector />, { timeline: arp.timeline, step: arp.request + 1 });
    // RFC 826: ar$op is bytes 6-7 of the ARP packet, 20-21 of the frame after Ethernet's 14.
    await user.click(screen.getByRole('option', { name: /^Opcode/ }));
    expect(selectedOffsets(container)).toEqual([20, 21]);
    const detail = container.querySelector('.field-detail')!.textContent;
    expect(detail).toContain('ARP, bytes 20–21');
    expect(detail).toContain('00 01');
    expect(detail).toContain('RFC 826');
  });

  it('shows the reply, unicast from the router to the browser', () => {
    const { container } = renderWithStore(<Inspector />, { timeline: arp.timeline, step: arp.reply + 1 });
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Frame 2: Router → Browser');
    expect(container.querySelector('.inspector-summary')!.textContent).toBe(reply.summary);
    expect(screen.getByRole('option', { name: /^Opcode: reply \(2\)/ })).toBeInTheDocument();
    expect(shownBytes(container).slice(0, reply.frame.length)).toEqual(hex(reply.frame));
  });

  it('marks a lost frame "lost"', () => {
    const lost = withArpSteps({ lost: true });
    const { container } = renderWithStore(<Inspector />, { timeline: lost.timeline, step: lost.request + 1 });
    expect(container.querySelector('.inspector-title .tag-lost')!.textContent).toBe('lost');
  });

  it('the next packet step shows the packet again; stepping back shows the frame, nothing selected', async () => {
    const user = userEvent.setup();
    const { container, store } = renderWithStore(<Inspector />, {
      timeline: arp.timeline,
      step: arp.reply + 1,
    });
    await user.click(screen.getByRole('option', { name: /^Opcode/ }));
    act(() => store.getState().seek(arp.next));
    const packet = arp.timeline.packets[0]!;
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(
      `Packet ${packet.wireIndex}: Browser → Server`,
    );
    expect(container.querySelector('.inspector-summary')!.textContent).toBe(packet.summary);
    expect(screen.getByRole('option', { name: /^Source port/ })).toBeInTheDocument();
    expect(screen.queryByRole('option', { selected: true })).toBeNull();
    expect(shownBytes(container).slice(0, packet.frame.length)).toEqual(hex(packet.frame));
    act(() => store.getState().seek(arp.request));
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(
      'Frame 1: Browser → everyone (broadcast)',
    );
    expect(screen.queryByRole('option', { name: /^Source port/ })).toBeNull();
  });

  it('before the ARP steps the inspector shows the packet being wrapped', () => {
    renderWithStore(<Inspector />, { timeline: arp.timeline, step: arp.request });
    expect(screen.getByRole('heading', { level: 3 }).textContent).toMatch(/^Packet \d+: Browser → Server$/);
  });

  it("shows a router's request on the server's segment: no wire number there (loss counts the browsers' LAN)", () => {
    const routed = arp.timeline.steps.findIndex((s) => s.link?.packet === 0 && s.link.hop !== null);
    const { container } = renderWithStore(<Inspector />, { timeline: arp.timeline, step: routed + 1 });
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(
      'ARP frame: Router → everyone (broadcast)',
    );
    expect(container.querySelector('.inspector-summary')!.textContent).toBe(
      'Who has 198.51.100.20? Tell 198.51.100.1',
    );
  });

  it('says a packet that never left (ARP got no answer) was never sent, without a wire number', () => {
    const never = neverSent();
    const { container } = renderWithStore(<Inspector />, {
      timeline: never.timeline,
      step: never.dropped + 1,
    });
    expect(container.querySelector('.inspector-title')!.firstChild!.textContent).toBe(
      'Packet: Browser → Server',
    );
    expect(container.querySelector('.inspector-title .tag-lost')!.textContent).toBe('never sent');
  });
});
