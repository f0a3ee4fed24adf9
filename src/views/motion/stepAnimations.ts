/**
 * The step animations, the only code that needs d3-selection, d3-transition and d3-ease. Nothing moves before
 * the first step forward, so this module is split from the first download and loaded once the page is idle
 * (useStepMotion.ts). Each function animates *from* where the previous step left things *to* what React has
 * already rendered, and returns a stop function that puts the final picture back at once.
 */
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { easeCubicOut, easeLinear } from 'd3-ease';

/**
 * The wire strip's unit: a header being added grows from the edge that touches what was already there
 * (headers from their right, trailers from their left), one being removed drops out, a unit crossing the cable
 * travels `travelFrom` pixels to its place, and the signal draws itself from left to right.
 */
export function animateUnit(svg: SVGSVGElement, duration: number, travelFrom: number): () => void {
  const root = select(svg);
  root.selectAll<SVGGElement, unknown>('.block.state-adding .anim').each(function () {
    const edge = Number(this.getAttribute('data-edge'));
    select(this)
      .attr('transform', `translate(${edge},0) scale(0.001,1)`)
      .transition()
      .duration(duration)
      .ease(easeCubicOut)
      .attrTween('transform', () => (k) => `translate(${edge * (1 - k)},0) scale(${Math.max(0.001, k)},1)`);
  });
  root
    .selectAll<SVGGElement, unknown>('.block.state-removing .anim')
    .attr('transform', 'translate(0,14)')
    .transition()
    .duration(duration)
    .ease(easeCubicOut)
    .attr('transform', 'translate(0,0)');
  if (travelFrom !== 0) {
    root
      .selectAll<SVGGElement, unknown>('.unit-motion.anim')
      .attr('transform', `translate(${travelFrom},0)`)
      .transition()
      .duration(duration)
      .ease(easeCubicOut)
      .attr('transform', 'translate(0,0)');
  }
  root.selectAll<SVGPathElement, unknown>('path.signal-wave.anim').each(function () {
    // SignalTrace writes the length down; asking the element (getTotalLength) would force a layout.
    const length = Number(this.getAttribute('data-length')) || 0;
    if (!length) return;
    drawStroke(select(this), length, duration, easeLinear);
  });
  return () => {
    root
      .selectAll<SVGElement, unknown>('.anim')
      .interrupt()
      .attr('transform', null)
      .style('stroke-dasharray', null)
      .style('stroke-dashoffset', null);
  };
}

/** The ladder's current arrow draws itself from sender to receiver. */
export function drawArrow(svg: SVGSVGElement, duration: number): (() => void) | undefined {
  const line = select(svg).select<SVGLineElement>('.arrow.time-current .arrow-line');
  const node = line.node();
  if (!node) return undefined;
  const length = Math.hypot(
    Number(node.getAttribute('x2')) - Number(node.getAttribute('x1')),
    Number(node.getAttribute('y2')) - Number(node.getAttribute('y1')),
  );
  drawStroke(line, length, duration, easeCubicOut);
  return () => {
    line.interrupt().style('stroke-dasharray', null).style('stroke-dashoffset', null);
  };
}

/** A stroke `length` long draws itself from its start: a dash as long as the stroke, slid into place. */
function drawStroke<E extends SVGGeometryElement>(
  stroke: Selection<E, unknown, null, undefined>,
  length: number,
  duration: number,
  ease: (t: number) => number,
): void {
  stroke
    .style('stroke-dasharray', `${length} ${length}`)
    .style('stroke-dashoffset', `${length}`)
    .transition()
    .duration(duration)
    .ease(ease)
    .style('stroke-dashoffset', '0');
}
