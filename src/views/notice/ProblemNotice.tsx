/** Problems found in the link (or a refused message): what was wrong and what is used instead. */
import { useActions, useWirewalk } from '../../state/context';
import './ProblemNotice.css';

export function ProblemNotice() {
  const problems = useWirewalk((s) => s.problems);
  const { dismissProblems } = useActions();
  return (
    <div className="notice-region" role="status">
      {problems.length ? (
        <div className="notice">
          <p className="notice-title">
            {problems.length === 1
              ? 'One part of the link was changed:'
              : `${problems.length} parts of the link were changed:`}
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.message}
                {p.used && !p.message.includes(p.used) ? (
                  <>
                    {' '}
                    (using <code>{p.used}</code>)
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <button type="button" className="btn" onClick={dismissProblems}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
