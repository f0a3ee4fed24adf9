// @vitest-environment jsdom
/**
 * The picture serialiser on the DOM alone (layout and the full cascade need a real browser: see
 * tests/e2e/classroom.test.ts): the markup is well-formed XML whatever text the stage shows, styles that
 * the stylesheet gave are written onto the elements, and nothing the page should keep leaves with it.
 */
import { svgOfElement, svgOfHtml } from '../../src/views/exports/snapshot';

const HOSTILE = 'a<b>&c "q" \u0001 \ud800 </foreignObject><script>alert(1)</script> 👋';

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed: ${error.textContent}`);
  return doc;
}

describe('snapshot', () => {
  beforeEach(() => {
    document.head.innerHTML = '<style>.t { color: rgb(1, 2, 3); } .hide { display: none; }</style>';
  });
  afterEach(() => {
    document.head.innerHTML = '';
    document.body.innerHTML = '';
  });

  it('writes HTML as well-formed XHTML in a foreignObject, whatever the text, with the stylesheet’s colours', () => {
    document.body.innerHTML =
      '<main class="stage"><p class="t" title="x&quot;y">x</p><span class="hide">secret</span><input value="v"><br></main>';
    const p = document.querySelector('p')!;
    p.textContent = HOSTILE;
    const { svg } = svgOfHtml(document.querySelector('main')!);
    const doc = parse(svg);
    const fo = doc.getElementsByTagName('foreignObject')[0]!;
    const para = fo.getElementsByTagName('p')[0]!;
    expect(para.namespaceURI).toBe('http://www.w3.org/1999/xhtml');
    expect(para.textContent).toBe(HOSTILE.replace('\u0001', '\ufffd').replace('\ud800', '\ufffd'));
    expect(para.getAttribute('style')).toContain('color:rgb(1, 2, 3)');
    expect(para.getAttribute('title')).toBe('x"y');
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(svg).not.toContain('secret'); // display: none is not in the picture
    expect(fo.getElementsByTagName('input')[0]!.getAttribute('value')).toBe('v');
  });

  it('leaves out overlays marked data-export="skip" and event-handler attributes', () => {
    document.body.innerHTML =
      '<div><section data-export="skip">intro card</section><b onclick="x()">kept</b></div>';
    const { svg } = svgOfHtml(document.querySelector('div')!);
    expect(svg).not.toContain('intro card');
    expect(svg).toContain('kept');
    expect(svg).not.toContain('onclick');
  });

  it('writes an SVG drawing as a standalone SVG, cropped, with a header row of names', () => {
    document.body.innerHTML =
      '<svg class="ladder-svg" width="400" height="2000" xmlns="http://www.w3.org/2000/svg">' +
      '<line class="lifeline" x1="50" y1="0" x2="50" y2="2000" stroke="black"/><text x="60" y="900"></text></svg>';
    document.querySelector('text')!.textContent = HOSTILE;
    const picture = svgOfElement(document.querySelector('svg')!, {
      crop: { x: 0, y: 800, width: 400, height: 300 },
      header: [{ x: 50, text: 'Browser <1>' }],
    });
    expect(picture).toMatchObject({ width: 400, height: 330 });
    const doc = parse(picture.svg);
    const root = doc.documentElement;
    expect(root.getAttribute('viewBox')).toBe('0 0 400 330');
    const drawing = root.getElementsByTagName('svg')[0]!;
    expect(drawing.getAttribute('viewBox')).toBe('0 800 400 300');
    expect(drawing.getAttribute('y')).toBe('30');
    expect(drawing.getAttribute('height')).toBe('300');
    expect(root.getElementsByTagName('text')[0]!.textContent).toBe('Browser <1>');
    expect(doc.getElementsByTagName('foreignObject')).toHaveLength(0);
  });
});
