/**
 * Where a curriculum map entry opens, and its link: small on purpose, so the main bundle can build a tag's
 * link without the map itself (which arrives with the lesson content).
 */
export interface CurriculumPlace {
  readonly lesson: string;
  /**
   * Link parameters that pick the lesson's variant, as a link writes them (`emit=socket`), in LINK_PARAMS
   * order; absent: the lesson as it opens.
   */
  readonly params?: string;
  /** 1-based. */
  readonly step: number;
}

/** The entry's link, as a teacher pastes it after the app's address: `?lesson=emit&emit=socket&step=126`. */
export function curriculumLink(e: CurriculumPlace): string {
  return `?lesson=${encodeURIComponent(e.lesson)}${e.params ? `&${e.params}` : ''}&step=${e.step}`;
}
