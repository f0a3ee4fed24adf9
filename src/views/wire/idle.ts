/**
 * What the wire strip says when no frame is on the wire: the state changes this step made, the program
 * line that ran and what it printed (CURRICULUM Q5: proof of life, in step with the packets).
 */
import type { HostState, Step, Timeline } from '../../sim/types';

export interface IdleLine {
  readonly kind: 'state' | 'code' | 'console';
  readonly text: string;
}

function changes(label: string, before: HostState | undefined, after: HostState | undefined): IdleLine[] {
  const out: IdleLine[] = [];
  const a = before?.tcp?.state ?? 'CLOSED';
  const b = after?.tcp?.state ?? 'CLOSED';
  if (a !== b) out.push({ kind: 'state', text: `${label} TCP: ${a} → ${b}` });
  if ((before?.ws ?? null) !== (after?.ws ?? null) && after?.ws) {
    out.push({ kind: 'state', text: `${label} WebSocket: ${before?.ws ?? 'none'} → ${after.ws}` });
  }
  const sa = before?.sio?.connected ?? false;
  const sb = after?.sio?.connected ?? false;
  if (sa !== sb)
    out.push({ kind: 'state', text: `${label} Socket.IO: ${sb ? 'connected' : 'disconnected'}` });
  return out;
}

export function idleLines(timeline: Timeline, step: Step | undefined): IdleLine[] {
  if (!step) return [];
  const previous = timeline.steps[step.index - 1];
  const out: IdleLine[] = [];
  for (const host of timeline.hosts) {
    out.push(...changes(host.label, previous?.states[host.id], step.states[host.id]));
  }
  if (step.code) {
    const program = timeline.programs[step.code.program];
    const line = program.lines[step.code.line - 1];
    if (line !== undefined)
      out.push({ kind: 'code', text: `${program.title}:${step.code.line}  ${line.trim()}` });
  }
  for (const c of step.console ?? []) {
    const label = timeline.hosts.find((h) => h.id === c.host)?.label ?? c.host;
    out.push({ kind: 'console', text: `${label} console › ${c.text}` });
  }
  return out;
}
