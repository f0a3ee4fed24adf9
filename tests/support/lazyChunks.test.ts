/**
 * preloadLazyChunks() covers every `import()` in the app's views and shell, found with TypeScript's own parser
 * (a type such as `typeof import('./x')` loads nothing and is not counted).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { LAZY_CHUNKS, preloadLazyChunks } from './lazyChunks';

const SRC = resolve(__dirname, '..', '..', 'src');

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The modules a file loads with `import('…')`, as paths under src/. */
function dynamicImports(file: string, source = readFileSync(file, 'utf8')): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const target = resolve(dirname(file), node.arguments[0].text);
      const withExt = ['.ts', '.tsx'].map((ext) => target + ext).find((p) => statExists(p)) ?? target;
      found.push(relative(SRC, withExt).replace(/\\/g, '/'));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX));
  return found;
}

function statExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

describe('preloadLazyChunks', () => {
  it('lists every chunk the views and the shell load with import()', () => {
    const loaded = ['views', 'app'].flatMap((room) =>
      filesIn(join(SRC, room)).flatMap((f) => dynamicImports(f)),
    );
    expect(loaded.length).toBeGreaterThan(3);
    expect([...new Set(loaded)].sort()).toEqual(Object.keys(LAZY_CHUNKS).sort());
  });

  it('finds import() calls, not types', () => {
    const file = join(SRC, 'views', 'x', 'T.tsx');
    const source =
      "type M = typeof import('../a');\nconst A = lazy(() => import('../b'));\n// import('../c')";
    expect(dynamicImports(file, source)).toEqual(['views/b']);
  });

  it('loads them all', async () => {
    await expect(preloadLazyChunks()).resolves.toBeUndefined();
  }, 120_000);
});
