// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Inspector } from '../../src/views/inspector/Inspector';
import { FIXTURE, FIXTURE_ACCEPT, WALK_START } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

const hello = FIXTURE.packets[5]!;

function selectedOffsets(container: HTMLElement): number[] {
  return [...container.querySelectorAll('.hex-bytes .byte.is-selected')].map((el) =>
    Number(el.getAttribute('data-offset')),
  );
}
const byteAt = (container: HTMLElement, offset: number) =>
  container.querySelector(`.hex-bytes [data-offset="${offset}"]`) as HTMLElement;

describe('Inspector', () => {
  it('says there is nothing to inspect before the first packet', () => {
    renderWithStore(<Inspector />, { step: 1 });
    expect(screen.getByText(/No packet has been sent yet/)).toBeInTheDocument();
  });

  it('shows the step packet: layers in order, and the hex dump of its bytes plus trailer', () => {
    const { container } = renderWithStore(<Inspector />, { step: WALK_START + 1 });
    expect(screen.getByText(hello.summary, { selector: '.inspector-summary' })).toBeInTheDocument();
    const groups = within(screen.getByRole('listbox')).getAllByRole('group');
    expect(
      groups.map(
        (g) => g.getAttribute('aria-labelledby') && g.querySelector('.field-group-title')!.textContent,
      ),
    ).toEqual([
      expect.stringContaining('Ethernet II'),
      expect.stringContaining('IPv4'),
      expect.stringContaining('TCP'),
      expect.stringContaining('WebSocket'),
    ]);
    const hex = [...container.querySelectorAll('.hex-bytes .byte')].map((el) => el.textContent);
    expect(hex.slice(0, hello.frame.length).join(' ')).toBe(
      [...hello.frame].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    );
    expect(hex).toHaveLength(hello.frame.length + 4);
    expect(container.querySelectorAll('.hex-bytes .byte.is-trailer')).toHaveLength(4);
  });

  it('selecting a field highlights exactly its bytes, and explains it', async () => {
    const user = userEvent.setup();
    const { container } = renderWithStore(<Inspector />, { step: WALK_START + 1 });
    await user.click(screen.getByRole('option', { name: /Masking key/ }));
    expect(screen.getByRole('option', { name: /Masking key/ })).toHaveAttribute('aria-selected', 'true');
    expect(selectedOffsets(container)).toEqual([56, 57, 58, 59]);
    const detail = container.querySelector('.field-detail')!;
    expect(detail.textContent).toContain('Masking key');
    expect(detail.textContent).toContain('bytes 56–59');
    expect(detail.textContent).toContain('37 fa 21 3d');
  });

  it('clicking a byte selects its field; clicking again walks out to a wider field covering it', async () => {
    const user = userEvent.setup();
    const { container } = renderWithStore(<Inspector />, { step: WALK_START + 1 });
    await user.click(byteAt(container, 36)); // TCP destination port: bytes 36-37
    const first = screen.getByRole('option', { selected: true });
    expect(first.textContent).toContain('Destination port');
    expect(selectedOffsets(container)).toEqual([36, 37]);
    // Byte 54 holds FIN, RSV1-3 and the opcode: each click moves to the next one.
    await user.click(byteAt(container, 54));
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('FIN');
    await user.click(byteAt(container, 54));
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('RSV1');
  });

  it('hovering a field underlines its bytes; hovering a byte highlights its field', () => {
    const { container } = renderWithStore(<Inspector />, { step: WALK_START + 1 });
    const source = FIXTURE.packets[5]!.fields.find((f) => f.layer === 'ipv4' && f.key === 'src')!;
    fireEvent.mouseEnter(screen.getByRole('option', { name: new RegExp(`^${source.name}:`) }));
    const hovered = [...container.querySelectorAll('.hex-bytes .byte.is-hovered')].map((el) =>
      Number(el.getAttribute('data-offset')),
    );
    expect(hovered).toEqual([26, 27, 28, 29]);
    fireEvent.mouseEnter(byteAt(container, 60));
    expect(container.querySelector('.field.is-hovered')!.textContent).toContain('Payload');
  });

  it('moves the selection with the arrow keys, Home and End', async () => {
    const user = userEvent.setup();
    renderWithStore(<Inspector />, { step: WALK_START + 1 });
    const list = screen.getByRole('listbox');
    list.focus();
    await user.keyboard('{ArrowDown}');
    const options = screen.getAllByRole('option');
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    expect(list).toHaveAttribute('aria-activedescendant', options[0]!.id);
    await user.keyboard('{ArrowDown}');
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{End}');
    expect(options.at(-1)).toHaveAttribute('aria-selected', 'true');
    expect(options.at(-1)!.textContent).toContain('Payload');
    await user.keyboard('{Home}');
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
  });

  it('unmasks a masked payload side by side (RFC 6455 §5.7 "Hello")', () => {
    renderWithStore(<Inspector />, { step: WALK_START + 1 });
    const table = screen.getByRole('table');
    const rows = within(table)
      .getAllByRole('row')
      .map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent).join(' '));
    expect(rows).toEqual(['7f 9f 4d 51 58', '37 fa 21 3d 37', '48 65 6c 6c 6f', 'H e l l o']);
  });

  it('computes Sec-WebSocket-Accept step by step for the 101 and checks it against the header', () => {
    const step101 = FIXTURE.steps.findIndex((s) => s.packet === 4);
    renderWithStore(<Inspector />, { step: step101 + 1 });
    const panel = screen.getByRole('region', { name: /Sec-WebSocket-Accept/ });
    expect(panel.textContent).toContain('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(panel.textContent).toContain('b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea');
    expect(panel.textContent).toContain(FIXTURE_ACCEPT);
    expect(panel.textContent).toContain('✓ equals the header in the 101 response');
  });

  it('another packet starts afresh: nothing selected or hovered, the dump and the field list at their top', async () => {
    const user = userEvent.setup();
    const { container, store } = renderWithStore(<Inspector />, { step: WALK_START + 1 });
    await user.click(screen.getByRole('option', { name: /Masking key/ }));
    expect(selectedOffsets(container)).toEqual([56, 57, 58, 59]);
    const hex = container.querySelector<HTMLElement>('.hex-scroll')!;
    const tree = container.querySelector<HTMLElement>('.inspector-column')!;
    hex.scrollTop = 40;
    tree.scrollTop = 30;
    fireEvent.scroll(hex);
    fireEvent.scroll(tree);
    act(() => store.getState().seek(FIXTURE.steps.findIndex((s) => s.packet === 4)));
    expect(
      screen.getByText(FIXTURE.packets[4]!.summary, { selector: '.inspector-summary' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('option', { selected: true })).toBeNull();
    expect(selectedOffsets(container)).toEqual([]);
    expect(container.querySelector('.field-detail-hint')).not.toBeNull();
    expect(container.querySelector<HTMLElement>('.hex-scroll')!.scrollTop).toBe(0);
    expect(container.querySelector<HTMLElement>('.inspector-column')!.scrollTop).toBe(0);
  });

  it('keeps showing the last packet on a step without one', () => {
    renderWithStore(<Inspector />, { step: WALK_START });
    expect(
      screen.getByText(FIXTURE.packets[4]!.summary, { selector: '.inspector-summary' }),
    ).toBeInTheDocument();
  });
});
