/**
 * The cascade in the built app and real Chromium. Every rule sits in one of five cascade layers, whose order
 * the entry's stylesheet fixes (src/app/styles.css: tokens, base, layout, components, modes). Lazily loaded
 * parts bring their own stylesheets, which Vite inserts as <link>s when the chunk loads, after the entry's; as
 * they add no layer and no unlayered rule, the presenter and embed overrides (the modes layer) win whatever
 * order the chunks arrive in.
 *
 * The build's minifier (Lightning CSS) folds the `@layer tokens, base, …;` statement into the layer blocks,
 * kept in that order, so the order is read the way the browser derives it: the first mention of each name, in
 * a statement (CSSLayerStatementRule) or a block (CSSLayerBlockRule), in document order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DIST, requireBuild, setupBrowser } from './browser';
import { blurControls, waitForStage } from './stage';

const e2e = setupBrowser();
const ORDER = ['tokens', 'base', 'layout', 'components', 'modes'];

interface SheetReport {
  readonly href: string;
  /** Layer names in the order this sheet first mentions them. */
  readonly layers: string[];
  /** Selectors of style rules without an enclosing @layer block. */
  readonly unlayered: string[];
  /** Every selector, for telling which sheet holds a component's rules. */
  readonly selectors: string[];
  /**
   * Selectors that name a mode (.is-present, .is-embed) outside the modes layer. Such an override would beat the
   * component's own rule only by specificity or by arriving later, and a lazy chunk can change which arrives later.
   */
  readonly modesOutside: string[];
}

/**
 * Runs in the page (so it may use nothing from outside): walk the rules of each stylesheet, either the
 * document's or, given `sources`, stylesheets built from those texts.
 */
function reportSheets(
  sources: readonly { readonly href: string; readonly css: string }[] | null,
): SheetReport[] {
  const sheets: { href: string; sheet: CSSStyleSheet }[] = sources
    ? sources.map(({ href, css }) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        return { href, sheet };
      })
    : [...document.styleSheets].map((sheet) => ({ href: sheet.href ?? '(inline)', sheet }));
  return sheets.map(({ href, sheet }) => {
    const report = {
      href,
      layers: [] as string[],
      unlayered: [] as string[],
      selectors: [] as string[],
      modesOutside: [] as string[],
    };
    const mention = (name: string) => {
      if (!report.layers.includes(name)) report.layers.push(name);
    };
    // `layer`: the enclosing layer's name, or null outside every layer.
    const walk = (rules: CSSRuleList, layer: string | null) => {
      for (const rule of rules) {
        if (rule instanceof CSSLayerStatementRule) {
          rule.nameList.forEach(mention);
        } else if (rule instanceof CSSLayerBlockRule) {
          mention(rule.name || '(anonymous)');
          walk(rule.cssRules, rule.name || '(anonymous)');
        } else if (rule instanceof CSSStyleRule) {
          report.selectors.push(rule.selectorText);
          if (layer === null) report.unlayered.push(rule.selectorText);
          if (/\.is-(present|embed)\b/.test(rule.selectorText) && layer !== 'modes')
            report.modesOutside.push(`${layer ?? '(no layer)'}: ${rule.selectorText}`);
          walk(rule.cssRules, layer); // nested rules
        } else if ('cssRules' in rule) {
          walk((rule as CSSGroupingRule).cssRules, layer); // @media, @container, @supports
        }
      }
    };
    walk(sheet.cssRules, null);
    return report;
  });
}

/** The layer order of the whole document: each name at its first mention, sheet by sheet. */
function documentOrder(reports: readonly SheetReport[]): string[] {
  const order: string[] = [];
  for (const r of reports) for (const name of r.layers) if (!order.includes(name)) order.push(name);
  return order;
}

function expectLayeredInOrder(reports: readonly SheetReport[]): void {
  expect(reports.length).toBeGreaterThan(0);
  // The first stylesheet alone fixes the order; no later one adds a layer or leaves a rule outside them.
  expect(reports[0]!.layers).toEqual(ORDER);
  expect(documentOrder(reports)).toEqual(ORDER);
  for (const r of reports) {
    expect({ href: r.href, unlayered: r.unlayered }).toEqual({ href: r.href, unlayered: [] });
    expect({ href: r.href, modesOutside: r.modesOutside }).toEqual({ href: r.href, modesOutside: [] });
  }
}

const px = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, p) => parseFloat(getComputedStyle(el).getPropertyValue(p)), property);

const remPx = (page: Page) =>
  page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

describe('cascade layers', () => {
  it('every stylesheet of the build keeps its rules in the five layers; the entry stylesheet sets their order', async () => {
    const html = readFileSync(requireBuild(DIST, 'index.html', 'npm run build'), 'utf8');
    const entry = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\.\/(assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(entry, 'index.html links one stylesheet').toBeDefined();
    const lazy = readdirSync(join(DIST, 'assets'))
      .filter((f) => f.endsWith('.css') && `assets/${f}` !== entry)
      .map((f) => `assets/${f}`);
    expect(lazy.length, 'lazily loaded parts bring stylesheets of their own').toBeGreaterThan(0);
    const sources = [entry!, ...lazy].map((href) => ({ href, css: readFileSync(join(DIST, href), 'utf8') }));

    const { page } = await e2e.page();
    await page.goto(e2e.url());
    const reports = await page.evaluate(reportSheets, sources);
    expectLayeredInOrder(reports);
    for (const r of reports) {
      expect(r.selectors.length, `${r.href} has rules`).toBeGreaterThan(0);
      expect(ORDER, `${r.href} uses only the five layers`).toEqual(expect.arrayContaining(r.layers));
    }

    // The checks can fail: a lazy sheet with an unlayered rule, and one whose presenter override sits in the
    // components layer (it would win over the component's rule only when its sheet happens to load later).
    const planted = await page.evaluate(reportSheets, [
      sources[0]!,
      { href: 'planted-unlayered', css: '.narration-text { font-size: 1rem; }' },
      {
        href: 'planted-override',
        css: '@layer components { .is-present .narration-text { font-size: 2rem; } }',
      },
    ]);
    expect(planted[1]!.unlayered).toEqual(['.narration-text']);
    expect(planted[2]!.modesOutside).toEqual(['components: .is-present .narration-text']);
    expect(() => expectLayeredInOrder(planted)).toThrow();
  });

  it('presenter mode: once the share dialog has brought its stylesheet, the presenter overrides still win', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=8&present=1'));
    await waitForStage(page);
    await blurControls(page);
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'Share this lesson' });
    await dialog.waitFor({ state: 'visible' });
    // The dialog's own rules have arrived (its 3 px frame), from a stylesheet after the entry's.
    await expect.poll(() => px(page, '.modal', 'border-top-width')).toBe(3);
    const reports = await page.evaluate(reportSheets, null);
    const shareSheet = reports.findIndex((r) => r.selectors.includes('.share-grid'));
    expect(shareSheet).toBeGreaterThan(0);
    expectLayeredInOrder(reports);

    // modes beats components: large type for the back of the room (28 px and 32 px at least at 1280×720).
    expect(await px(page, '.narration-text', 'font-size')).toBeGreaterThanOrEqual(28);
    expect(await px(page, '.narration-title', 'font-size')).toBeGreaterThanOrEqual(32);
    // The presenter's smaller top-bar buttons (0.85rem) over the shell's (.topbar .btn, 0.92rem).
    const rem = await remPx(page);
    expect(await px(page, '.classroom-controls .btn', 'font-size')).toBeCloseTo(0.85 * rem, 1);
    // modes beats layout: the tighter stage.
    expect(await px(page, '.stage', 'row-gap')).toBeCloseTo(0.4 * rem, 1);
  });

  it('embed mode: once the packet inspector has brought its stylesheet, the embed overrides still win', async () => {
    const { page } = await e2e.page();
    await page.goto(e2e.url('?lesson=websocket&step=8&embed=1'));
    await waitForStage(page);
    await page.getByRole('tab', { name: 'Packet bytes' }).click();
    await page.locator('.inspector-body').waitFor({ state: 'visible' });
    const reports = await page.evaluate(reportSheets, null);
    expect(reports.findIndex((r) => r.selectors.includes('.inspector-body'))).toBeGreaterThan(0);
    expectLayeredInOrder(reports);

    const rem = await remPx(page);
    // The component says 1.08rem and 11rem; the embed, 1rem and 8.5rem.
    expect(await px(page, '.narration-text', 'font-size')).toBeCloseTo(1 * rem, 1);
    expect(await px(page, '.narration', 'max-height')).toBeCloseTo(8.5 * rem, 1);
    expect(await px(page, '.playback', 'column-gap')).toBeCloseTo(0.6 * rem, 1);
  });
});
