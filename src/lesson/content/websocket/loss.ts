/**
 * The websocket story's lesson about packet loss and retransmission.
 */
import type { Packet, Step, Timeline } from '../../../sim/types';
import {
  packetOf,
  onWire,
  has,
  firstStep,
  dupAckNumber,
  ackJump,
  startAt,
  hostLabel,
  rtoStart,
} from '../queries';
import type { LessonContent } from '../types';
import { bytes, ms } from '../wording';

/** "the browser" / "the server": a host's label inside a sentence. */
function who(t: Timeline, host: string): string {
  const label = hostLabel(t, host);
  return label === 'Browser' || label === 'Server' ? `the ${label.toLowerCase()}` : label;
}

/** Segments the sender of `p` put on the wire after it, with higher sequence numbers, before resending it. */
function segmentsBehind(p: Packet, t: Timeline): Packet[] {
  const resent = t.packets.find((q) => q.retransmissionOf === p.id)?.sentAt ?? Infinity;
  return t.packets.filter(
    (q) =>
      q.id > p.id &&
      q.from === p.from &&
      q.connection === p.connection &&
      q.retransmissionOf === undefined &&
      q.tcp.relSeq > p.tcp.relSeq &&
      q.sentAt < resent,
  );
}

/** Why the duplicate ACKs did not trigger a fast retransmit before the timeout, when some came. */
function fewDups(lost: Packet, at: number, t: Timeline): string {
  const n = t.packets.filter(
    (q) =>
      q.from === lost.to &&
      q.connection === lost.connection &&
      !q.lost &&
      q.arrivesAt < at &&
      q.tcp.relAck === lost.tcp.relSeq &&
      dupAckNumber(q, t) > 0,
  ).length;
  // RFC 5681 §3.2: fast retransmit waits for the third duplicate ACK.
  return n > 0 && n < 3
    ? ` Only ${n === 1 ? 'one duplicate ACK' : `${n} duplicate ACKs`} came back: fast retransmit waits for three.`
    : '';
}

/** Loss: what was lost, the duplicate ACKs, fast retransmit against the timer. */
function lossAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (step.kind === 'state' && step.title.startsWith('Three duplicate ACKs') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    // RFC 5681 §3.2: fast retransmit on the third duplicate ACK. RFC 6298 §2.4: the timeout is at least 1 s
    // (what sim/engine/tcp.ts follows); Linux's own floor is 200 ms (TCP_RTO_MIN, include/net/tcp.h).
    return (
      `The lost segment was sent ${ms(step.time - lost.sentAt)} ago: the duplicate ACKs are much faster ` +
      'than the timer, which waits at least 1 s here (RFC 6298’s minimum; Linux’s own minimum is 200 ms).'
    );
  }
  if (step.kind === 'state' && step.title.startsWith('Timeout') && p) {
    const lost = t.packets[p.retransmissionOf ?? p.id] ?? p;
    const start = rtoStart(lost.from, lost.connection, step.time, t);
    const what = lost.tcp.len > 0 ? 'the lost segment' : has(lost, 'SYN') ? 'the SYN' : 'the FIN';
    // RFC 6298 §5.3: an ACK that acknowledges new data restarts the timer, so the wait is counted from the
    // last such ACK (rtoStart in ../queries.ts replays §5.1-5.6 over the packets).
    const since = start?.ack
      ? `${ms(step.time - start.time)} since the last ACK of new data reached ${who(t, lost.from)} ` +
        `(packet #${start.ack.wireIndex}): each such ACK restarts the timer (RFC 6298 §5.3). ` +
        `${what.replace(/^t/, 'T')} itself was sent ${ms(step.time - lost.sentAt)} ago.`
      : start?.send?.retransmissionOf !== undefined
        ? `${what.replace(/^t/, 'T')} was first sent ${ms(step.time - lost.sentAt)} ago and resent ` +
          `${ms(step.time - start.time)} ago (a timeout restarts the timer, RFC 6298 §5.6); no ACK came back.`
        : `${what.replace(/^t/, 'T')} was sent ${ms(step.time - lost.sentAt)} ago, and no ACK of it came back.`;
    // RFC 5681 §3.2: duplicate ACKs need later segments to arrive.
    const behind = segmentsBehind(lost, t);
    // RFC 5681 §3.2: duplicate ACKs need later segments to arrive.
    const nothingBehind =
      behind.length === 0
        ? ` No duplicate ACKs could help here: nothing was sent after ${what}, so nothing could arrive ` +
          'and make the other side repeat its ACK.'
        : behind.every((q) => q.lost)
          ? ` No duplicate ACKs could help here: what was sent after ${what} was lost too.`
          : fewDups(lost, step.time, t);
    return since + nothingBehind;
  }
  if (!p || !onWire(step)) return undefined;
  if (step.kind === 'drop') {
    if (has(p, 'FIN') && p.tcp.len === 0) {
      // RFC 9293 §3.4: a FIN takes one sequence number, so it is acknowledged and retransmitted like data.
      return (
        `The lost segment is a FIN (Seq = ${p.tcp.relSeq} relative): it carries no data, but it takes one ` +
        'sequence number, so it must be acknowledged and is resent like data.'
      );
    }
    if (p.tcp.len === 0) {
      // RFC 9293 §3.4: a pure ACK takes no sequence number and is never retransmitted; ACKs are cumulative.
      return has(p, 'SYN')
        ? 'The lost segment is a SYN: it takes one sequence number, so only the timer can bring it back.'
        : 'The lost segment is a pure ACK: it takes no sequence number, so nobody resends it. A later ACK ' +
            'repeats what it said, because every ACK covers all the bytes before its number.';
    }
    const behind = segmentsBehind(p, t);
    const arrive = behind.filter((q) => !q.lost).length;
    // RFC 9293 §3.4: relative numbers count from the ISN, so the first data byte is 1. RFC 5681 §3.1: the
    // congestion window lets several segments leave before any ACK comes back; the run says which arrive.
    const after =
      behind.length === 0
        ? 'Nothing follows it, so no duplicate ACKs can come: only the timer can bring it back.'
        : `${behind.length === 1 ? 'The segment behind it leaves' : `The ${behind.length} segments behind it leave`} ` +
          'without waiting for an ACK' +
          (arrive === behind.length
            ? behind.length === 1
              ? ', and still arrives.'
              : ', and still arrive.'
            : arrive === 0
              ? behind.length === 1
                ? ', and is lost too.'
                : ', and are lost too.'
              : `; ${arrive} of them arrive.`);
    // RFC 9293 §3.4: the relative byte numbers of this run's segment.
    return `This segment carried bytes ${p.tcp.relSeq} … ${p.tcp.relSeq + p.tcp.len - 1} (relative). ${after}`;
  }
  const dup = dupAckNumber(p, t);
  if (dup > 0) {
    // RFC 5681 §4.2: an out-of-order segment is answered at once with a duplicate ACK (RFC 5681 §2).
    return `Duplicate ACK ${dup}: Ack = ${p.tcp.relAck} again means "I still need byte ${p.tcp.relAck}", although a later segment just arrived.`;
  }
  if (p.retransmissionOf !== undefined) {
    const orig = t.packets[p.retransmissionOf];
    // RFC 5681 §3.2 (fast retransmit) or RFC 6298 §5.4 (timeout): the packet's own reason.
    const why = p.retransmitReason === 'fast-retransmit' ? 'after three duplicate ACKs' : 'after the timeout';
    const what =
      p.tcp.len > 0 ? `the same ${bytes(p.tcp.len)}` : has(p, 'SYN') ? 'the same SYN' : 'the same FIN';
    // RFC 9293 §3.8.1: a retransmission carries the same sequence numbers; the packets are this run's.
    return orig
      ? `Same Seq = ${p.tcp.relSeq} (relative), ${what} as packet #${orig.wireIndex}, resent ${why}, ` +
          `${ms(p.sentAt - orig.sentAt)} after the first try.`
      : undefined;
  }
  const jump = ackJump(p, t);
  if (jump) {
    const program = p.from === 'server' ? 'ws' : 'the browser';
    // RFC 9293 §3.10.7.4: a receiver may keep segments that arrive out of order; the ACK is cumulative.
    // ws hands a message up once its frame is complete (ws lib/receiver.js).
    return (
      `Ack jumps from ${jump.from} to ${jump.to}: the receiver had kept the later segments, so the one resent ` +
      `piece completes everything at once. Only now can ${program} read the bytes behind the gap.`
    );
  }
  return undefined;
}

export const LOSS_LESSONS: readonly LessonContent[] = [
  {
    id: 'loss',
    // RFC 5681 §3.2 (duplicate ACKs) and RFC 6298 §5 (the timer): how a sender learns of a loss; a dropped
    // packet sends no message back (RFC 6633 retired ICMP Source Quench). The run's segments: catalogue.ts
    // (src/lesson/catalogue.ts, mss=200 and loss=14,26).
    intro:
      'Networks lose packets, and nobody tells TCP. It finds out two ways: duplicate ACKs, when later segments ' +
      'arrive without the missing one, and a timer, when nothing comes back at all. With a small MSS (200 ' +
      "bytes, set by the link) the browser's long message takes four segments; the first is lost. Later the " +
      "server's FIN is lost too.",
    checks: [
      {
        // RFC 5681 §3.2 and RFC 6298 §5: the two ways a sender learns of a loss.
        question: 'How does TCP find out that a segment was lost?',
        choices: [
          // RFC 5681 §3.2 (duplicate ACKs) and RFC 6298 §5.4 (the timer).
          'From duplicate ACKs or from silence (a timeout); nobody tells it',
          // RFC 6633: routers no longer send ICMP Source Quench; a dropped packet is dropped silently.
          'The router that dropped it sends a message',
          // RFC 9293 §3.4: ACKs name byte numbers, not packets, and no segment asks for one by number.
          'The receiver asks for it by packet number',
        ],
        answer: 0,
        // The run: the drop steps (sim/steps/narration.ts) and the duplicate ACKs of RFC 5681 §3.2.
        explain:
          'The "Lost on the wire" steps notify nobody. The browser learns from three ACKs repeating the same ' +
          'number; the server learns about its FIN only when its timer runs out.',
      },
      {
        // RFC 5681 §3.2: fast retransmit on the third duplicate ACK; RFC 6298 §2.4: a 1 s minimum timeout.
        question: 'Why was the lost data resent long before the 1-second timer ran out?',
        choices: [
          // RFC 5681 §3.2.
          'Three duplicate ACKs triggered a fast retransmit',
          // RFC 9293 §3.4: the receiver only repeats its cumulative ACK.
          'The server asked for it by name',
          // RFC 9293 §3.8.1: only unacknowledged segments are resent.
          'TCP resends every segment twice anyway',
        ],
        answer: 0,
        // RFC 5681 §3.2 and §4.2; the 10 ms is this run's (the loss lesson's aside computes it).
        explain:
          'Each segment behind the lost one made the server repeat its ACK. After the third duplicate the ' +
          'browser resent the missing piece at once (fast retransmit, RFC 5681), about 10 ms after the ' +
          'first try instead of a second.',
      },
      {
        // RFC 5681 §3.2 (duplicate ACKs need later segments) and RFC 6298 §5.4 (resend on expiry).
        question: 'Why could the lost FIN only be recovered by the timer?',
        choices: [
          // RFC 5681 §3.2.
          'Nothing was sent after it, so no duplicate ACKs could arrive',
          // RFC 9293 §3.4: a FIN takes a sequence number and is acknowledged.
          'FINs are never acknowledged',
          // RFC 6298 §2.4: the timer waits at least 1 s; the duplicate ACKs came within 10 ms.
          'Timers are faster than duplicate ACKs',
        ],
        answer: 0,
        // RFC 5681 §3.2 and RFC 6298 §5.4; the 1 s is RFC 6298 §2.4's minimum (sim/engine/tcp.ts).
        explain:
          'Duplicate ACKs need later segments to arrive. After its FIN the server sends nothing, so it waits ' +
          'for its retransmission timeout (1 s here) and sends the FIN again.',
      },
      {
        // Whose program: the server's ws receives the message the browser sent (sim/stories/websocket/timeline.ts).
        question:
          "The first piece of the browser's long message was lost. Did the server's program (its ws " +
          "'message' handler) see anything of the loss?",
        choices: [
          // RFC 9293 §3.10.7.4: TCP hands data up in order; ws emits 'message' per whole frame (ws lib/receiver.js).
          "No: 'message' fired once, with the whole text in order, just later",
          // ws lib/websocket.js: 'error' is for protocol errors, not for TCP's retransmissions.
          "Yes: an 'error' event fired",
          // RFC 9293 §3.10.7.4: TCP delivers every byte, in order.
          'Yes: the message arrived with its first part missing',
        ],
        answer: 0,
        // ws lib/receiver.js; WHATWG WebSockets: send() queues the data and returns at once.
        explain:
          "ws emits 'message' only after the resent piece arrives, with the whole text. TCP hides the loss " +
          "from the programs on both sides: the page's send() had returned long before, and the server's " +
          'program only sees a delay.',
      },
    ],
    // RFC 5681 §3.2, RFC 6298 §5.3; the link's loss= counts packets (src/lesson/catalogue.ts).
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
