/**
 * Pictures of the live stage for slides: the DOM as it is on screen, written out as SVG markup with every
 * element's computed style inlined. Custom properties (the layer colours, the theme) and the stylesheet do not
 * travel with an exported file, so each element carries the resolved values instead: those that differ from
 * what the element would get anyway, i.e. from the browser's default for its tag or from what it inherits.
 *
 * The live DOM is only read, never cloned or edited: cloning would copy `style` attributes, which the page's
 * Content-Security-Policy refuses. Defaults come from a blank, same-origin iframe that has no stylesheet.
 *
 * - `svgOfElement`: a pure SVG element (the ladder), optionally cropped to its visible window and given a
 *   header row; opens in any SVG editor or slide program.
 * - `svgOfHtml`: any HTML element (the whole stage) inside a <foreignObject>; opens in browsers, and is what
 *   `svgToPng` draws onto a canvas at 2× for a PNG.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** Elements an export leaves out: put data-export="skip" on overlays that are not part of the picture. */
export const SKIP_ATTRIBUTE = 'data-export';

type Styles = ReadonlyMap<string, string>;

/** XML 1.0 §2.2 allows neither C0 controls (except tab, LF, CR) nor lone surrogates in a document. */
function xmlText(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}

function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

/** Properties that never matter in a still picture, or that only make sense on the live page. */
function skipped(property: string): boolean {
  return (
    property.startsWith('--') ||
    property.startsWith('transition') ||
    property.startsWith('animation') ||
    property === 'cursor' ||
    property === 'pointer-events' ||
    property === 'will-change' ||
    property === 'user-select' ||
    property === '-webkit-user-select'
  );
}

function stylesOf(style: CSSStyleDeclaration): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    if (!skipped(name)) out.set(name, style.getPropertyValue(name));
  }
  return out;
}

/** The browser's own style for a fresh element of each kind, measured once per export. */
class DefaultStyles {
  private readonly frame: HTMLIFrameElement;
  private readonly cache = new Map<string, Styles>();

  constructor(private readonly doc: Document) {
    this.frame = doc.createElement('iframe');
    this.frame.setAttribute('aria-hidden', 'true');
    this.frame.tabIndex = -1;
    // CSSOM, not a style attribute: the page's CSP allows the one and not the other.
    this.frame.style.position = 'fixed';
    this.frame.style.left = '-10000px';
    this.frame.style.width = '10px';
    this.frame.style.height = '10px';
    this.frame.style.visibility = 'hidden';
    doc.body.appendChild(this.frame);
  }

  of(el: Element): Styles {
    return this.ofTag(el.localName, el.namespaceURI === SVG_NS);
  }

  ofTag(localName: string, svg: boolean): Styles {
    const key = `${svg ? 'svg:' : ''}${localName}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const inner = this.frame.contentDocument;
    if (!inner?.body) return new Map();
    let probe: Element;
    if (svg) {
      const root = inner.createElementNS(SVG_NS, 'svg');
      inner.body.appendChild(root);
      probe = localName === 'svg' ? root : root.appendChild(inner.createElementNS(SVG_NS, localName));
    } else {
      probe = inner.body.appendChild(inner.createElement(localName));
    }
    const styles = stylesOf(inner.defaultView!.getComputedStyle(probe));
    (svg ? probe.closest('svg')! : probe).remove();
    this.cache.set(key, styles);
    return styles;
  }

  dispose(): void {
    this.frame.remove();
  }
}

interface Context {
  readonly defaults: DefaultStyles;
  readonly view: Window;
  /** Elements this picture leaves out, besides those marked data-export="skip". */
  readonly skip?: (el: Element) => boolean;
}

/** Declarations for one element: what differs from its tag's default or from its parent's value. */
function declarations(
  own: Styles,
  parent: Styles | null,
  defaults: Styles,
  extra: Readonly<Record<string, string>>,
): string {
  const parts: string[] = [];
  for (const [name, value] of own) {
    if (name in extra) continue;
    // Scroll bars and scroll positions do not exist in a picture; a scrolled box shows its window (below).
    const v =
      (name === 'overflow-x' || name === 'overflow-y') && /auto|scroll/.test(value) ? 'hidden' : value;
    if (parent === null || v !== defaults.get(name) || v !== parent.get(name)) parts.push(`${name}:${v}`);
  }
  for (const [name, value] of Object.entries(extra)) parts.push(`${name}:${value}`);
  return parts.join(';');
}

const isElement = (node: Node): node is Element => node.nodeType === 1;

/** The text of a CSS `content` value that is one string ("·", " →"), or null for anything else. */
function contentText(content: string): string | null {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(content);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : null;
}

/**
 * ::before and ::after with text content, as spans: they are drawn by the stylesheet, which the picture
 * does not have (the "·" between a layer's unit and protocol, for one).
 */
function pseudo(el: Element, which: '::before' | '::after', ctx: Context, own: Styles): string {
  if (el.namespaceURI !== XHTML_NS) return '';
  const computed = ctx.view.getComputedStyle(el, which);
  const text = contentText(computed.content);
  if (!text || computed.display === 'none') return '';
  const style = declarations(stylesOf(computed), own, ctx.defaults.ofTag('span', false), {});
  return `<span style="${xmlAttribute(style)}">${xmlText(text)}</span>`;
}
const isHtml = (el: Element, name: string): boolean => el.namespaceURI === XHTML_NS && el.localName === name;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/**
 * Markup for `el` and everything under it. `parentStyles` null marks the picture's root, which writes every
 * property (nothing above it in the file to inherit from). `shift` translates the element, for the children
 * of a scrolled box.
 */
function serialise(
  el: Element,
  ctx: Context,
  parentStyles: Styles | null,
  shift: { x: number; y: number } | null,
  namespace: string | null,
  overrides: Readonly<Record<string, string>> = {},
  styleOverrides: Readonly<Record<string, string>> = {},
): string {
  if (el.getAttribute(SKIP_ATTRIBUTE) === 'skip' || ctx.skip?.(el)) return '';
  const computed = ctx.view.getComputedStyle(el);
  if (computed.display === 'none') return '';
  const own = stylesOf(computed);
  const extra: Record<string, string> = { ...styleOverrides };
  if (shift && (shift.x || shift.y)) {
    const t = own.get('transform');
    extra.transform = `translate(${-shift.x}px, ${-shift.y}px)${t && t !== 'none' ? ` ${t}` : ''}`;
  }
  const style = declarations(own, parentStyles, ctx.defaults.of(el), extra);
  const name = el.localName;
  let attrs = namespace ? ` xmlns="${namespace}"` : '';
  for (const a of el.attributes) {
    if (a.name === 'style' || a.name.startsWith('on') || a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
      continue;
    }
    if (a.name in overrides) continue;
    attrs += ` ${a.name}="${xmlAttribute(a.value)}"`;
  }
  for (const [k, v] of Object.entries(overrides)) attrs += ` ${k}="${xmlAttribute(v)}"`;
  // Form fields keep what they show, not what the markup first said.
  if (isHtml(el, 'input') && !el.hasAttribute('value'))
    attrs += ` value="${xmlAttribute((el as HTMLInputElement).value)}"`;
  if (style) attrs += ` style="${xmlAttribute(style)}"`;

  const scrolled = el.scrollTop || el.scrollLeft ? { x: el.scrollLeft, y: el.scrollTop } : null;
  let inner = pseudo(el, '::before', ctx, own);
  for (const child of el.childNodes) {
    if (child.nodeType === 3) inner += xmlText(child.nodeValue ?? '');
    else if (isElement(child)) {
      const childNs =
        child.namespaceURI !== el.namespaceURI ? (child.namespaceURI === SVG_NS ? SVG_NS : XHTML_NS) : null;
      inner += serialise(child, ctx, own, scrolled, childNs);
    }
  }
  inner += pseudo(el, '::after', ctx, own);
  if (el.namespaceURI === XHTML_NS && VOID.has(name)) return `<${name}${attrs}/>`;
  if (isHtml(el, 'textarea')) inner = xmlText((el as HTMLTextAreaElement).value);
  return `<${name}${attrs}>${inner}</${name}>`;
}

function withContext<T>(el: Element, run: (ctx: Context) => T, skip?: (el: Element) => boolean): T {
  const doc = el.ownerDocument;
  const view = doc.defaultView;
  if (!view) throw new Error('the element is not in a window');
  const defaults = new DefaultStyles(doc);
  try {
    return run({ defaults, view, ...(skip ? { skip } : {}) });
  } finally {
    defaults.dispose();
  }
}

function number(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export interface Picture {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** The page background behind an element: the first ancestor's non-transparent background colour. */
export function backgroundOf(el: Element): string {
  const view = el.ownerDocument.defaultView;
  for (let at: Element | null = el; at && view; at = at.parentElement) {
    const bg = view.getComputedStyle(at).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

/** Controls of the live page, which a picture for slides leaves out: buttons and tab strips. */
export function isControl(el: Element): boolean {
  return (el.namespaceURI === XHTML_NS && el.localName === 'button') || el.getAttribute('role') === 'tablist';
}

/**
 * An HTML element as an SVG picture (a <foreignObject> of XHTML with computed styles), at its on-screen size.
 * `skip` leaves more elements out (e.g. `isControl`).
 */
export function svgOfHtml(
  el: HTMLElement,
  options: { readonly skip?: (el: Element) => boolean } = {},
): Picture {
  return withContext(
    el,
    (ctx) => {
      const box = el.getBoundingClientRect();
      const width = Math.ceil(box.width);
      const height = Math.ceil(box.height);
      const body = serialise(el, ctx, null, null, XHTML_NS);
      const svg =
        `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
        `<rect width="100%" height="100%" fill="${xmlAttribute(backgroundOf(el))}"/>` +
        `<foreignObject x="0" y="0" width="${width}" height="${height}">${body}</foreignObject></svg>`;
      return { svg, width, height };
    },
    options.skip,
  );
}

export interface SvgOptions {
  /** Show only this window of the drawing (e.g. the scrolled-to part of a tall diagram), in its user units. */
  readonly crop?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Labels for a header row above the drawing (the ladder's lifeline names), x in the drawing's units. */
  readonly header?: readonly { readonly x: number; readonly text: string }[];
  /** Style of the header labels: the computed style of an element that shows them on screen. */
  readonly headerStyle?: CSSStyleDeclaration;
}

const HEADER_HEIGHT = 30;

/** A pure SVG element as a standalone SVG file, optionally cropped and with a header row. */
export function svgOfElement(svgEl: SVGSVGElement, options: SvgOptions = {}): Picture {
  return withContext(svgEl, (ctx) => {
    const box = svgEl.getBoundingClientRect();
    const crop = options.crop ?? { x: 0, y: 0, width: box.width, height: box.height };
    const head = options.header?.length ? HEADER_HEIGHT : 0;
    const width = Math.ceil(crop.width);
    const height = Math.ceil(crop.height + head);
    // The drawing keeps its own coordinates; its size and window give way to the crop.
    const inner = serialise(
      svgEl,
      ctx,
      null,
      null,
      null,
      {
        x: '0',
        y: String(head),
        width: number(crop.width),
        height: number(crop.height),
        viewBox: `${number(crop.x)} ${number(crop.y)} ${number(crop.width)} ${number(crop.height)}`,
      },
      { width: `${number(crop.width)}px`, height: `${number(crop.height)}px` },
    );
    const hs = options.headerStyle;
    const font = hs
      ? ` font-family="${xmlAttribute(hs.fontFamily)}" font-size="${xmlAttribute(hs.fontSize)}" font-weight="${xmlAttribute(hs.fontWeight)}" fill="${xmlAttribute(hs.color)}"`
      : ' font-family="sans-serif" font-size="16" font-weight="700"';
    const header = options.header?.length
      ? `<g${font} text-anchor="middle">` +
        options.header
          .map((h) => `<text x="${number(h.x - crop.x)}" y="${HEADER_HEIGHT - 9}">${xmlText(h.text)}</text>`)
          .join('') +
        '</g>'
      : '';
    const svg =
      `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `<rect width="100%" height="100%" fill="${xmlAttribute(backgroundOf(svgEl))}"/>` +
      header +
      inner +
      '</svg>';
    return { svg, width, height };
  });
}

/** Draw an SVG picture onto a canvas at `scale`× and encode it as PNG. */
export async function svgToPng(picture: Picture, doc: Document, scale = 2): Promise<Blob> {
  const img = new Image();
  img.decoding = 'sync';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the browser could not draw the picture'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(picture.svg)}`;
  await loaded;
  const canvas = doc.createElement('canvas');
  canvas.width = Math.max(1, Math.round(picture.width * scale));
  canvas.height = Math.max(1, Math.round(picture.height * scale));
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas in this browser');
  g.scale(scale, scale);
  g.drawImage(img, 0, 0, picture.width, picture.height);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the canvas made no PNG'))),
      'image/png',
    ),
  );
}
