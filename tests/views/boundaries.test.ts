/**
 * Views never re-simulate: nothing in src/views, src/state or src/app reaches into src/sim except for types
 * (types.ts, scenario.ts), and only src/state may call into timeline.ts: buildTimeline, and the exports of a
 * built timeline (timelinePcap, timelineText). Views also stay away from src/state/boot.ts, the one place that
 * runs the simulator.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..', '..', 'src');

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

interface Import {
  readonly spec: string;
  /** Named bindings, or ['*'] for namespace/default/side-effect/dynamic imports (anything could be used). */
  readonly names: readonly string[];
}

export function importsOf(source: string): Import[] {
  const out: Import[] = [];
  const staticRe =
    /(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = staticRe.exec(source); m; m = staticRe.exec(source)) {
    if (m[3]) {
      const clause = m[2]!.trim();
      const braces = clause.match(/^\{([\s\S]*)\}$/);
      const names = braces
        ? braces[1]!
            .split(',')
            .map(
              (n) =>
                n
                  .trim()
                  .replace(/^type\s+/, '')
                  .split(/\s+as\s+/)[0]!,
            )
            .filter(Boolean)
        : ['*'];
      out.push({ spec: m[3], names: m[1] ? [] : names });
    } else {
      out.push({ spec: (m[4] ?? m[5])!, names: ['*'] });
    }
  }
  return out;
}

/**
 * What state/ may import from the engine (sim/timeline.ts, or sim/core.ts, its front door without the lazily
 * loaded stories): the builder, what turns a built timeline into files, and the story loading
 * (state/stories.ts imports sim/stories.ts whole, to register the stories it loads on demand).
 */
const STATE_MAY_CALL: ReadonlySet<string> = new Set([
  'buildTimeline',
  'timelinePcap',
  'timelineText',
  'storyLoaded',
]);

/** Violations in one file of room `room` ('views' | 'state' | 'app'). */
export function violations(file: string, room: string, source: string): string[] {
  const bad: string[] = [];
  for (const { spec, names } of importsOf(source)) {
    if (!spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(file, '..', spec))
      .replace(/\\/g, '/')
      .replace(/\.(ts|tsx)$/, '');
    if (target.startsWith('sim/')) {
      const module = target.slice(4);
      if (module === 'types' || module === 'scenario') continue;
      if (
        (module === 'timeline' || module === 'core') &&
        room === 'state' &&
        names.length > 0 &&
        names.every((n) => STATE_MAY_CALL.has(n))
      )
        continue;
      if (module === 'stories' && room === 'state' && file.endsWith('stories.ts')) continue;
      bad.push(`${relative(SRC, file)} imports ${names.join(', ') || 'types'} from ${spec}`);
    }
    if (room === 'views' && target === 'state/boot') bad.push(`${relative(SRC, file)} imports ${spec}`);
  }
  return bad;
}

describe('views never re-simulate', () => {
  const rooms = ['views', 'state', 'app'] as const;
  const files = rooms.flatMap((room) => filesIn(join(SRC, room)).map((file) => ({ room, file })));

  it('finds the files it guards', () => {
    expect(files.filter((f) => f.room === 'views').length).toBeGreaterThan(10);
    expect(files.some((f) => f.file.endsWith('boot.ts'))).toBe(true);
  });

  it('only types come from src/sim, and only state/ calls buildTimeline', () => {
    const bad = files.flatMap(({ room, file }) => violations(file, room, readFileSync(file, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the guard catches what it should', () => {
    const view = join(SRC, 'views', 'x', 'Thing.tsx');
    const state = join(SRC, 'state', 'thing.ts');
    expect(violations(view, 'views', "import { buildTimeline } from '../../sim/timeline';")).toHaveLength(1);
    expect(violations(view, 'views', "import { tcpEndpoint } from '../../sim/tcp';")).toHaveLength(1);
    expect(violations(view, 'views', "import('../../sim/osi')")).toHaveLength(1);
    expect(violations(view, 'views', "import * as sim from '../../sim/timeline';")).toHaveLength(1);
    expect(violations(view, 'views', "import { storeFromLink } from '../../state/boot';")).toHaveLength(1);
    expect(violations(view, 'views', "import type { Step } from '../../sim/types';")).toEqual([]);
    expect(violations(state, 'state', "import { buildTimeline } from '../sim/timeline';")).toEqual([]);
    expect(
      violations(state, 'state', "import { buildTimeline, timelinePcap } from '../sim/timeline';"),
    ).toEqual([]);
    expect(
      violations(state, 'state', "import { buildTimeline, CHAPTERS } from '../sim/timeline';"),
    ).toHaveLength(1);
    expect(violations(view, 'views', "import { timelinePcap } from '../../sim/timeline';")).toHaveLength(1);
  });
});
