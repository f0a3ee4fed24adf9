/**
 * Type a message and send it from the browser or push it from the server: the scenario (and the link)
 * gains it, the timeline is rebuilt, and the view jumps to the message's first step.
 */
import { useId, useState, type FormEvent } from 'react';
import { useWirewalk } from '../../state/context';
import type { Side } from '../../sim/scenario';
import './Composer.css';

export function Composer() {
  const addMessage = useWirewalk((s) => s.addMessage);
  const [text, setText] = useState('');
  const inputId = useId();
  const send = (from: Side) => {
    if (addMessage(from, text)) setText('');
  };
  // Enter in the text field sends from the client, like the first button.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (text.length > 0) send('c');
  };
  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Add a message">
      <label htmlFor={inputId} className="composer-label visually-hidden">
        Message
      </label>
      <input
        id={inputId}
        className="composer-input"
        type="text"
        value={text}
        maxLength={2000}
        placeholder="e.g. How are you?"
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="btn" disabled={text.length === 0}>
        Send from client
      </button>
      <button type="button" className="btn" disabled={text.length === 0} onClick={() => send('s')}>
        Push from server
      </button>
    </form>
  );
}
