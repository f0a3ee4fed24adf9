/**
 * The websocket story's lesson about packet loss and retransmission.
 */
import type { Step, Timeline } from '../../../sim/types';
import { packetOf, onWire, has, firstStep, dupAckNumber, ackJump, startAt } from '../queries';
import type { LessonContent } from '../types';
import { bytes, ms } from '../wording';

/** Loss: what was lost, the duplicate ACKs, fast retransmit against the timer. */
function lossAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (step.kind === 'state' && step.title.startsWith('Three duplicate ACKs') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    return `The lost segment was sent ${ms(step.time - lost.sentAt)} ago: the duplicate ACKs are much faster than waiting for the 1 s timer.`;
  }
  if (step.kind === 'state' && step.title.startsWith('Timeout') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    return (
      `${ms(step.time - lost.sentAt)} of silence since the FIN was sent. No duplicate ACKs could help here: ` +
      'nothing was sent after the FIN, so nothing could arrive and make the other side repeat itself.'
    );
  }
  if (!p || !onWire(step)) return undefined;
  if (step.kind === 'drop') {
    if (has(p, 'FIN')) {
      return `The lost segment is a FIN (Seq = ${p.tcp.relSeq} relative): it carries no data, but it must still arrive, so it is resent like data.`;
    }
    return (
      `This segment carried bytes ${p.tcp.relSeq} … ${p.tcp.relSeq + p.tcp.len - 1} (relative). The segments behind ` +
      'it are already on their way and will still arrive.'
    );
  }
  const dup = dupAckNumber(p, t);
  if (dup > 0) {
    return `Duplicate ACK ${dup}: Ack = ${p.tcp.relAck} again means "I still need byte ${p.tcp.relAck}", although a later segment just arrived.`;
  }
  if (p.retransmissionOf !== undefined) {
    const orig = t.packets[p.retransmissionOf];
    const why = p.retransmitReason === 'fast-retransmit' ? 'after three duplicate ACKs' : 'after the timeout';
    const what = p.tcp.len > 0 ? `the same ${bytes(p.tcp.len)}` : 'the same FIN';
    return orig
      ? `Same Seq = ${p.tcp.relSeq} (relative), ${what} as packet #${orig.wireIndex}, resent ${why}, ` +
          `${ms(p.sentAt - orig.sentAt)} after the first try.`
      : undefined;
  }
  const jump = ackJump(p, t);
  if (jump) {
    return (
      `Ack jumps from ${jump.from} to ${jump.to}: the receiver had kept the later segments, so the one resent ` +
      'piece completes everything at once. Only now does ws see the message.'
    );
  }
  return undefined;
}

export const LOSS_LESSONS: readonly LessonContent[] = [
  {
    id: 'loss',
    intro:
      'Networks lose packets, and TCP is never told. It finds out two ways: duplicate ACKs, when later segments ' +
      'arrive without the missing one, and a timer, when nothing comes back at all. With a small MSS the ' +
      "browser's long message takes four segments; the first is lost. Later the server's FIN is lost too.",
    checks: [
      {
        question: 'How does TCP find out that a segment was lost?',
        choices: [
          'From duplicate ACKs or from silence (a timeout); nobody tells it',
          'The router that dropped it sends a message',
          'The receiver asks for it by packet number',
        ],
        answer: 0,
        explain:
          'The "Lost on the wire" steps notify nobody. The browser learns from three ACKs repeating the same ' +
          'number; the server learns about its FIN only when its timer runs out.',
      },
      {
        question: 'Why was the lost data resent long before the 1-second timer ran out?',
        choices: [
          'Three duplicate ACKs triggered a fast retransmit',
          'The server asked for it by name',
          'TCP resends every segment twice anyway',
        ],
        answer: 0,
        explain:
          'Each segment behind the lost one made the server repeat its ACK. After the third duplicate the ' +
          'browser resent the missing piece at once (RFC 5681), a few milliseconds later instead of a second.',
      },
      {
        question: 'Why could the lost FIN only be recovered by the timer?',
        choices: [
          'Nothing was sent after it, so no duplicate ACKs could arrive',
          'FINs are never acknowledged',
          'Timers are faster than duplicate ACKs',
        ],
        answer: 0,
        explain:
          'Duplicate ACKs need later segments to arrive. After its FIN the server sends nothing, so it waits ' +
          'for its retransmission timeout (1 s) and sends the FIN again.',
      },
      {
        question: "Did the page's JavaScript notice the lost segment?",
        choices: [
          'No: ws received the whole message, in order, just later',
          'Yes: onerror fired',
          'Yes: part of the message was missing',
        ],
        answer: 0,
        explain:
          "ws: 'message' fires only after the resent piece arrives, with the whole text. TCP hides the loss " +
          'from the programs; they only see a delay.',
      },
    ],
    teacherNotes:
      'Open on the first loss. Ask: "who knows this segment is gone?" (nobody yet). Step through the three ' +
      'duplicate ACKs and let the class count. At the fast retransmit, compare the delay in the aside with the ' +
      '1 s timer. Point out the ACK that jumps forward: the receiver kept the later pieces. Then skip to the ' +
      "lost FIN and ask why duplicate ACKs cannot save it this time. Change the link's loss= to other packet " +
      'numbers live to show other cases.',
    aside: lossAside,
    start: startAt((t) => firstStep(t, (s) => s.kind === 'drop')),
  },
];
