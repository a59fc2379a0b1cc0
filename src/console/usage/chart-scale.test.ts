import { expect, it } from 'vitest';
import { chartScale } from './chart-scale.ts';

it('rounds the top up to a round step, with ticks from 0', () => {
  expect(chartScale([13_327, 9_000, 0, 11_000])).toEqual({ top: 15_000, ticks: [0, 5_000, 10_000, 15_000], cut: false });
  expect(chartScale([120, 100, 90])).toEqual({ top: 150, ticks: [0, 50, 100, 150], cut: false });
  expect(chartScale([2_333_327, 2_000_000])).toEqual({ top: 3_000_000, ticks: [0, 1_000_000, 2_000_000, 3_000_000], cut: false });
  expect(chartScale([3, 1])).toEqual({ top: 3, ticks: [0, 1, 2, 3], cut: false });
});

it('has a scale when nothing was used', () => {
  expect(chartScale([0, 0, 0])).toEqual({ top: 1, ticks: [0, 1], cut: false });
});

it('cuts the scale above the ordinary days when one day dwarfs them', () => {
  const days = [1_200, 900, 2_400_000, 1_000, 800, 1_100, 950];
  expect(chartScale(days)).toEqual({ top: 1_500, ticks: [0, 500, 1_000, 1_500], cut: true });
});

it('cuts a few heavy days at most a fifth of them, and never a lone day or a steady rise', () => {
  expect(chartScale([50_000, 60_000, 100, 120, 90, 110, 80, 100, 95, 105]).top).toBe(150);
  expect(chartScale([1_000_000, 5])).toEqual({ top: 6, ticks: [0, 2, 4, 6], cut: true });
  expect(chartScale([1_000_000])).toMatchObject({ top: 1_000_000, cut: false });
  expect(chartScale([100, 200, 400, 800, 1_600])).toMatchObject({ top: 2_000, cut: false });
});
