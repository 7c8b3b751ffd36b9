import { evictionMessage } from './eviction-message';

const WHY = 'because Salesforce allows five connections per user for this app.';

describe('evictionMessage', () => {
  it("when one of this user's Tasks was evicted, then it is named", () => {
    expect(evictionMessage(['Quarterly sync'], 0)).toBe(
      `Connecting this Task disconnected 'Quarterly sync', ${WHY}`,
    );
  });

  it('when several were, then they are listed in a sentence', () => {
    expect(evictionMessage(['A', 'B', 'C'], 0)).toBe(
      `Connecting this Task disconnected 'A', 'B', and 'C', ${WHY}`,
    );
  });

  it('when a name could not be read, then it is "another Task", or counted when several', () => {
    expect(evictionMessage([null], 0)).toBe(
      `Connecting this Task disconnected another Task, ${WHY}`,
    );
    expect(evictionMessage(['A', null, null], 0)).toBe(
      `Connecting this Task disconnected 'A' and 2 other Tasks, ${WHY}`,
    );
  });

  it('when connections of other people went, then they are counted, singular or plural', () => {
    expect(evictionMessage([], 1)).toBe(
      `Connecting this Task disconnected 1 other connection of this Salesforce user, ${WHY}`,
    );
    expect(evictionMessage(['A'], 3)).toBe(
      `Connecting this Task disconnected 'A' and 3 other connections of this Salesforce user, ${WHY}`,
    );
  });

  it('when nothing was evicted, then there is nothing to say', () => {
    expect(evictionMessage([], 0)).toBeNull();
  });
});
