import { answersKey, loadAnswers, saveAnswers, type AnswerStorage } from '../../src/state/checks';

function memory(): AnswerStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('self-check answers in local storage', () => {
  it('round-trips per lesson, keyed by question text', () => {
    const s = memory();
    expect(saveAnswers(s, 'tcp', { 'Why SYN?': 'Because' })).toBe(true);
    expect(s.data.get(answersKey('tcp'))).toBe('{"Why SYN?":"Because"}');
    expect(loadAnswers(s, 'tcp')).toEqual({ 'Why SYN?': 'Because' });
    expect(loadAnswers(s, 'upgrade')).toEqual({});
  });

  it('clearing removes the key', () => {
    const s = memory();
    saveAnswers(s, 'tcp', { q: 'a' });
    saveAnswers(s, 'tcp', {});
    expect(s.data.has(answersKey('tcp'))).toBe(false);
  });

  it('reads garbage as no answers and keeps only string answers', () => {
    const s = memory();
    for (const junk of ['{', '[1,2]', 'null', '"x"', '{"q":3,"r":"ok"}']) {
      s.data.set(answersKey('x'), junk);
      expect(loadAnswers(s, 'x')).toEqual(junk.includes('"r"') ? { r: 'ok' } : {});
    }
  });

  it('a storage that throws (private windows, quota) loses answers quietly instead of breaking', () => {
    const broken: AnswerStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadAnswers(broken, 'tcp')).toEqual({});
    expect(saveAnswers(broken, 'tcp', { q: 'a' })).toBe(false);
    expect(saveAnswers(null, 'tcp', { q: 'a' })).toBe(false);
  });
});
