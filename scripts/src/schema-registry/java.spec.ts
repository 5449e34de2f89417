import { describe, expect, it } from 'vitest';
import { javaMajor } from './java.js';

describe('javaMajor', () => {
  it('reads the major version from `java -version` output', () => {
    expect(javaMajor('openjdk version "25.0.3" 2026-04-21 LTS')).toBe(25);
    expect(javaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajor('java version "1.8.0_402"')).toBe(8);
    expect(javaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajor('command not found')).toBeUndefined();
  });
});
