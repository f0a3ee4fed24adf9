import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// ARCHITECTURE.md: imports point one way, app -> views -> state -> lesson -> sim -> protocol,
// and the pure rooms (protocol, sim) take time and randomness only from the scenario.
const ROOMS = ['protocol', 'sim', 'lesson', 'state', 'views', 'app'] as const;
type Room = (typeof ROOMS)[number];
const SRC = join(__dirname, '..', 'src');

function filesIn(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(filesIn(path));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  // Statements at the start of a line (not code quoted inside a string, such as a program shown to students).
  const re = /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function roomOf(file: string): Room | undefined {
  const first = relative(SRC, file).split(/[\\/]/)[0];
  return ROOMS.find((r) => r === first);
}

const allFiles = filesIn(SRC);

describe('architecture', () => {
  it('finds the source files it guards', () => {
    expect(allFiles.length).toBeGreaterThan(3);
  });

  it('imports point one way: app -> views -> state -> lesson -> sim -> protocol', () => {
    const bad: string[] = [];
    for (const file of allFiles) {
      const room = roomOf(file);
      if (!room) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = roomOf(join(file, '..', spec));
        if (target && ROOMS.indexOf(target) > ROOMS.indexOf(room)) {
          bad.push(`${relative(SRC, file)} imports ${spec} (${room} may not depend on ${target})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('protocol/ and sim/ stay pure: no React, zustand, d3 DOM code, clock, randomness or Node Buffer', () => {
    const bad: string[] = [];
    for (const file of allFiles) {
      const room = roomOf(file);
      if (room !== 'protocol' && room !== 'sim') continue;
      const source = readFileSync(file, 'utf8');
      for (const spec of importsOf(source)) {
        if (
          /^(react|react-dom|zustand|d3|d3-selection|d3-transition)(\/|$)/.test(spec) ||
          spec.startsWith('node:')
        ) {
          bad.push(`${relative(SRC, file)} imports ${spec}`);
        }
      }
      const code = source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      for (const needle of [
        /\bDate\.now\(/,
        /\bMath\.random\(/,
        /\bgetRandomValues\(/,
        /\bBuffer\./,
        /\bperformance\.now\(/,
      ]) {
        if (needle.test(code))
          bad.push(`${relative(SRC, file)} uses ${needle.source.replace(/\\[bx]?/g, '')}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('detects a violation when one is present (the guard itself can fail)', () => {
    expect(importsOf("import { x } from '../views/Thing';\nimport('react')")).toEqual([
      '../views/Thing',
      'react',
    ]);
  });
});
