/** Transport icons as inline SVG (emoji fonts draw ⏮ ⏭ inconsistently); decorative, the buttons carry names. */
const paths = {
  first: 'M5 4h2.5v16H5zM20 4v16L8.5 12z',
  prev: 'M12 12l8-8v16zM3.5 12l8-8v16z',
  play: 'M7 4l13 8-13 8z',
  pause: 'M6 4h4.5v16H6zM13.5 4H18v16h-4.5z',
  next: 'M12 12L4 4v16zM20.5 12l-8-8v16z',
  last: 'M16.5 4H19v16h-2.5zM4 4v16l11.5-8z',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name }: { readonly name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  );
}
