/**
 * The source check (issue 11, "every sentence true"): every sentence a learner reads rests on a source named in
 * a comment beside it in the code. This module finds, in one TypeScript file, the string literals that are
 * learner prose and reports those with no source comment beside them.
 *
 * - Prose: a string literal or a piece of a template literal with at least MIN_WORDS words made of letters
 *   (identifiers, CSS classes, field names and short labels are not prose).
 * - Beside it: a comment that names a source, placed in the statement, property or array element that holds
 *   the literal (its leading comment, or any comment between that start and the end of the literal's line).
 *   One comment may stand for the sentences of one statement, so the source sits next to what it backs.
 * - A source: an RFC (RFC 6455 §5.3), another standard (WHATWG, IEEE 802.3, ISO/IEC, ECMA), a library's source
 *   file (ws lib/websocket.js, engine.io lib/socket.ts, socket.io-parser, Linux net/ipv4/tcp_input.c, Chromium
 *   net/websockets/…), a frame of a reference capture (chromium-ws.pcap frame 12), the curriculum, or a file of
 *   this repository for what the simulation itself chose or measured (sim/engine/tcp.ts). "Wirewalk's choice"
 *   names a choice of this project.
 */
import ts from 'typescript';

export const MIN_WORDS = 4;

/** What a comment must contain to name a source. */
export const SOURCE_PATTERN = new RegExp(
  [
    String.raw`\bRFC ?\d{3,5}`,
    String.raw`\bWHATWG\b`,
    String.raw`\bIEEE 802`,
    String.raw`\bISO/IEC\b`,
    String.raw`\bECMA-?\d+`,
    String.raw`\bW3C\b`,
    String.raw`\bIANA\b`,
    String.raw`\.pcap(ng)?\b`,
    String.raw`\bframe \d+`,
    String.raw`\bCURRICULUM\b`,
    String.raw`Wirewalk['’]s choice`,
    // A source file: a path with a directory and an extension (lib/websocket.js, net/ipv4/tcp_input.c, sim/engine/tcp.ts).
    String.raw`[\w.@-]+/[\w./-]+\.(ts|tsx|js|mjs|c|h|cc|py|md)\b`,
  ].join('|'),
);

export interface UnsourcedProse {
  /** 1-based line of the literal. */
  readonly line: number;
  readonly text: string;
}

function proseWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w)).length;
}

/** Every comment in `text`, with its position, found with the scanner (so strings and regexps are skipped). */
function comments(sf: ts.SourceFile): { pos: number; end: number; text: string }[] {
  const found: { pos: number; end: number; text: string }[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    // A comment after a property's or element's comma (`title: 'x', // RFC …`) trails the comma, not the node.
    const end = node.getEnd();
    for (const ranges of [
      ts.getLeadingCommentRanges(sf.text, node.getFullStart()),
      ts.getTrailingCommentRanges(sf.text, end),
      sf.text[end] === ',' ? ts.getTrailingCommentRanges(sf.text, end + 1) : undefined,
    ]) {
      for (const r of ranges ?? []) {
        if (seen.has(r.pos)) continue;
        seen.add(r.pos);
        found.push({ pos: r.pos, end: r.end, text: sf.text.slice(r.pos, r.end) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.sort((a, b) => a.pos - b.pos);
}

/** The node a source comment may sit on: the nearest statement, property, array element or argument. */
function anchorOf(node: ts.Node): ts.Node {
  let n: ts.Node = node;
  while (n.parent) {
    const p = n.parent;
    if (ts.isSourceFile(p) || ts.isBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return n;
    if (ts.isPropertyAssignment(p)) return p;
    if (ts.isArrayLiteralExpression(p)) return n;
    n = p;
  }
  return n;
}

/** The prose literals of one file with no source comment beside them. */
export function unsourcedProse(fileName: string, text: string): UnsourcedProse[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const sourced = comments(sf).filter((c) => SOURCE_PATTERN.test(c.text));
  const out: UnsourcedProse[] = [];
  const check = (node: ts.Node, literal: string): void => {
    if (proseWords(literal) < MIN_WORDS) return;
    // Not prose for a learner: imports, type positions and comments' own doc strings.
    if (
      ts.findAncestor(node, (a) => ts.isImportDeclaration(a) || ts.isExportDeclaration(a) || ts.isTypeNode(a))
    )
      return;
    const anchor = anchorOf(node);
    const from = anchor.getFullStart();
    const lineEnd = text.indexOf('\n', node.getEnd());
    const to = lineEnd < 0 ? text.length : lineEnd;
    if (sourced.some((c) => c.pos >= from && c.pos < to)) return;
    out.push({
      line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      text: literal.slice(0, 80),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) check(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      const whole = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' x ');
      check(node, whole);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
