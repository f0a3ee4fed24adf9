/**
 * Bring `el` into view inside the scrolling box `box` only (Element.scrollIntoView would also scroll every
 * ancestor, the page included). Does nothing while `el` is already fully visible; otherwise puts it at
 * `at` (0 top … 1 bottom) of the box.
 */
export function scrollWithin(box: HTMLElement, el: HTMLElement, at = 0.33): void {
  const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  const bottom = top + el.offsetHeight;
  if (top >= box.scrollTop && bottom <= box.scrollTop + box.clientHeight) return;
  box.scrollTop = Math.max(0, top - box.clientHeight * at);
}
