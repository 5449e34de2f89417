import { describe, expect, it } from 'vitest';
import { subjectName } from './subject.js';

describe('subjectName', () => {
  it('is <topic>-value by default, <topic>-key for keys', () => {
    expect(subjectName({ topic: 'users' }, 'ex.User', 'avro')).toBe('users-value');
    expect(subjectName({ topic: 'users', isKey: true }, 'ex.User', 'avro')).toBe('users-key');
  });

  it('follows the record and topic-record strategies, and an explicit subject wins', () => {
    expect(subjectName({ topic: 'users', subjectStrategy: 'record' }, 'ex.User', 'avro')).toBe('ex.User');
    expect(subjectName({ topic: 'users', subjectStrategy: 'topic-record' }, 'ex.User', 'avro')).toBe('users-ex.User');
    expect(subjectName({ topic: 'users', subject: 'mine' }, 'ex.User', 'avro')).toBe('mine');
  });

  it('needs a topic for the topic strategy and a record name for the record strategy', () => {
    expect(() => subjectName({}, 'ex.User', 'avro')).toThrow(/give \{ topic \}/);
    expect(() => subjectName({ subjectStrategy: 'record' }, undefined, 'json-schema')).toThrow(/needs a named record schema/);
  });
});
