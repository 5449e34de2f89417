import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtDateTime, fmtDuration, fmtInt, fmtInterval, fmtNum, fmtRate, fmtTime, sumDefined } from './format.js';

describe('monitor page formatting', () => {
  it('shows numbers compactly: one decimal below 10, k/M/G from 10,000, a dash for none', () => {
    expect([fmtNum(undefined), fmtNum(null), fmtNum(Number.NaN)]).toEqual(['–', '–', '–']);
    expect([fmtNum(5), fmtNum(7.26), fmtNum(42.7), fmtNum(1234)]).toEqual(['5', '7.3', '43', '1,234']);
    expect([fmtNum(12_345), fmtNum(2_500_000), fmtNum(3e9), fmtNum(-12_345)]).toEqual(['12.3k', '2.5M', '3.0G', '-12.3k']);
    expect(fmtNum(1.23456, 3)).toBe('1.235');
  });

  it('shows offsets and counts exactly, grouped, and rates per second', () => {
    expect([fmtInt(1_234_567.4), fmtInt(0), fmtInt(undefined), fmtInt(null)]).toEqual(['1,234,567', '0', '–', '–']);
    expect([fmtRate(12.34), fmtRate(0), fmtRate(0.25), fmtRate(undefined)]).toEqual(['12/s', '0/s', '0.3/s', '–']);
  });

  it('shows sizes in binary units and durations in the two largest units', () => {
    expect([fmtBytes(512), fmtBytes(1536), fmtBytes(5 * 1024 ** 3), fmtBytes(2 ** 50), fmtBytes(undefined)]).toEqual(['512 B', '1.5 KiB', '5.0 GiB', '1024.0 TiB', '–']);
    expect([fmtDuration(7), fmtDuration(200), fmtDuration(7500), fmtDuration(-3), fmtDuration(Infinity), fmtDuration(undefined)]).toEqual([
      '7s',
      '3m 20s',
      '2h 5m',
      '0s',
      '–',
      '–',
    ]);
    expect([fmtInterval(300), fmtInterval(2000), fmtInterval(90_000)]).toEqual(['300 ms', '2s', '1m 30s']);
  });

  it('shows times as 24-hour local time and dates as ISO days', () => {
    const at = new Date(2026, 0, 1, 13, 4, 5).getTime();
    expect(fmtTime(at)).toBe('13:04:05');
    expect(fmtDateTime(at)).toBe('2026-01-01 13:04:05');
    expect([fmtTime(undefined), fmtDateTime(null)]).toEqual(['–', '–']);
  });

  it('sums the defined values, undefined when none is (a rate not known yet)', () => {
    expect(sumDefined([])).toBeUndefined();
    expect(sumDefined([undefined, null])).toBeUndefined();
    expect(sumDefined([1, undefined, 2, null])).toBe(3);
    expect(sumDefined([0])).toBe(0);
  });
});
