// @vitest-environment jsdom
/**
 * The speaker's facts on an ARP step name the frame (`Step.link`); a packet that never left
 * (`Packet.unresolved`) is said to be never sent, without a wire number; the wire strip keeps it at its
 * sender, crossed out, with no signal.
 */
import { SpeakerView } from '../../../src/views/speaker/SpeakerView';
import { WireStrip } from '../../../src/views/wire/WireStrip';
import { neverSent, withArpSteps } from '../../support/arpSteps';
import { renderWithStore } from '../../support/renderWithStore';

const arp = withArpSteps();

/** Packet 0 never left: its three ARP requests were lost. */
const never = neverSent();

describe('an ARP step and a packet never sent, beyond the inspector', () => {
  it('the speaker view names the ARP frame', () => {
    renderWithStore(<SpeakerView />, { timeline: arp.timeline, step: arp.request + 1 });
    const facts = document.querySelector('.speaker-facts')!;
    expect(facts.textContent).toContain('ARP frame#1 Who has 192.0.2.1? Tell 192.0.2.10');
  });

  it('the speaker view says a packet was never sent', () => {
    renderWithStore(<SpeakerView />, { timeline: never.timeline, step: never.dropped + 1 });
    const facts = document.querySelector('.speaker-facts')!.textContent;
    expect(facts).toContain('never sent: ARP got no answer');
    expect(facts).not.toContain('#0');
  });

  it('the wire strip keeps a packet never sent at its sender, crossed out "not sent", without a number', () => {
    const { container } = renderWithStore(<WireStrip />, {
      timeline: never.timeline,
      step: never.dropped + 1,
    });
    expect(container.querySelector('.lost-mark')).toHaveTextContent('not sent');
    expect(container.querySelector('.wire-route')!.textContent).toBe('Browser → Server');
    expect(container.querySelectorAll('.block')).not.toHaveLength(0);
    expect(container.querySelector('.block.colour-physical')).toBeNull();
  });
});
