/**
 * `npm run timeline -- "<link or query string>"` (or `-` to read the link from standard input, `@FILE` from a
 * file, for links longer than the shell passes): print the scenario's timeline, one line per step.
 * Problems the link parser found go to stderr; the timeline of the scenario it settled on still prints.
 */
import { parseLink } from '../src/lesson/link';
import { buildTimeline, timelineText } from '../src/sim/timeline';
import { ALL_STORIES } from '../src/sim/stories';
import { linkArgument } from './linkInput';

const input = process.argv[2] ?? '';
const { state, problems } = parseLink(linkArgument(input));
for (const p of problems) process.stderr.write(`${p.param}: ${p.message}\n`);
process.stdout.write(timelineText(buildTimeline(state.scenario, ALL_STORIES)));
