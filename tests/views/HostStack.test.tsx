// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import { HostStack } from '../../src/views/stack/HostStack';
import { CLIENT, SERVER, WALK_START } from './fixture';
import { renderWithStore } from '../support/renderWithStore';

describe('HostStack', () => {
  it('names all seven layers with number, unit and protocol', () => {
    renderWithStore(<HostStack host={CLIENT} side="left" />, { step: WALK_START + 1 });
    const stack = screen.getByRole('list', { name: 'Browser: the seven OSI layers' });
    const items = within(stack).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('value'))).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(items[3]).toHaveTextContent('Transport');
    expect(items[3]).toHaveTextContent('segment');
    expect(items[3]).toHaveTextContent('TCP :49152');
    expect(items[4]).toHaveTextContent('IPv4 192.0.2.10');
  });

  it('marks the layer the step is at, on the right host only', () => {
    const { store } = renderWithStore(
      <>
        <HostStack host={CLIENT} side="left" />
        <HostStack host={SERVER} side="right" />
      </>,
      { step: WALK_START + 4 },
    );
    const current = () => document.querySelectorAll('[aria-current="step"]');
    expect(current()).toHaveLength(1);
    expect(current()[0]).toHaveTextContent('Transport');
    expect(within(current()[0] as HTMLElement).getByLabelText('going down')).toBeInTheDocument();
    expect(current()[0]!.closest('section')).toHaveAccessibleName(/Browser/);
    act(() => store.getState().seek(WALK_START + 10)); // server, layer 3, going up
    expect(current()[0]!.closest('section')).toHaveAccessibleName(/Server/);
    expect(within(current()[0] as HTMLElement).getByLabelText('going up')).toBeInTheDocument();
  });

  it('shows TCP and WebSocket status from the step state', () => {
    const { store } = renderWithStore(<HostStack host={CLIENT} side="left" />, { step: 1 });
    const badges = () => screen.getByRole('list', { name: 'Browser status' });
    expect(badges()).toHaveTextContent('TCP no connection');
    act(() => store.getState().seek(WALK_START));
    expect(badges()).toHaveTextContent('TCP ESTABLISHED next seq 150, ack 130');
    expect(badges()).toHaveTextContent('WebSocket OPEN');
  });
});
