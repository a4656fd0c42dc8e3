import { describe, expect, it } from "vitest";
import { barLayout, formatDuration, linePoints, niceScale, timeUnit } from "./chart";

const margin = { top: 10, right: 10, bottom: 10, left: 10 };

describe("niceScale", () => {
  it("rounds the top up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceScale(7)).toEqual({ max: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(10)).toEqual({ max: 10, step: 2, ticks: [0, 2, 4, 6, 8, 10] });
    expect(niceScale(42)).toEqual({ max: 50, step: 10, ticks: [0, 10, 20, 30, 40, 50] });
    expect(niceScale(0.9).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceScale(11).max).toBe(12.5);
  });

  it("keeps whole steps for counts and gives empty data an axis", () => {
    expect(niceScale(3, 5, true)).toEqual({ max: 3, step: 1, ticks: [0, 1, 2, 3] });
    expect(niceScale(11, 5, true)).toEqual({ max: 15, step: 5, ticks: [0, 5, 10, 15] });
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    expect(niceScale(Number.NaN)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
  });
});

describe("barLayout", () => {
  it("places grouped bars side by side, heights proportional to the values", () => {
    const layout = barLayout({ values: [[4, 2], [1, 0]], width: 220, height: 120, margin, integer: true, gap: 0 });
    expect(layout.scale.max).toBe(4);
    expect(layout.plot).toEqual({ x: 10, y: 10, width: 200, height: 100 });
    expect(layout.band).toBe(100);
    expect(layout.centers).toEqual([60, 160]);
    const [a0, b0, a1, b1] = [0, 1].flatMap((c) => [0, 1].map((s) => layout.bars.find((b) => b.category === c && b.series === s)!));
    expect(a0).toMatchObject({ x: 10, width: 50, height: 100, y: 10, value: 4 });
    expect(b0).toMatchObject({ x: 60, width: 50, height: 25, y: 85, value: 1 });
    expect(a1).toMatchObject({ x: 110, height: 50, y: 60 });
    expect(b1).toMatchObject({ height: 0, y: 110, value: 0 });
    expect(layout.y(0)).toBe(110);
    expect(layout.y(4)).toBe(10);
  });

  it("stacks bars in series order and scales to the largest total", () => {
    const layout = barLayout({ values: [[3, 1], [2, 0]], width: 120, height: 120, margin, stacked: true, integer: true, gap: 0.5 });
    expect(layout.scale.max).toBe(5);
    const [inside, outside] = layout.bars.filter((b) => b.category === 0);
    expect(inside).toMatchObject({ height: 60, y: 50, x: 22.5, width: 25 });
    expect(outside).toMatchObject({ height: 40, y: 10, x: 22.5, width: 25 });
    // The second stack: 1 + 0.
    expect(layout.bars.filter((b) => b.category === 1).map((b) => b.height)).toEqual([20, 0]);
  });

  it("treats missing and negative values as zero and copes with no categories", () => {
    const layout = barLayout({ values: [[-3, Number.NaN]], width: 100, height: 100, margin });
    expect(layout.bars.map((b) => b.height)).toEqual([0, 0]);
    expect(barLayout({ values: [], width: 100, height: 100, margin }).bars).toEqual([]);
  });
});

describe("linePoints and units", () => {
  it("spreads points evenly on a fixed range", () => {
    const plot = { x: 0, y: 0, width: 100, height: 40 };
    expect(linePoints([1, 5, 3], 1, 5, plot)).toEqual([
      { x: 0, y: 40 },
      { x: 50, y: 0 },
      { x: 100, y: 20 },
    ]);
    expect(linePoints([4], 1, 5, plot)).toEqual([{ x: 50, y: 10 }]);
  });

  it("reads seconds or minutes", () => {
    expect(timeUnit(90)).toEqual({ unit: "s", divisor: 1 });
    expect(timeUnit(600)).toEqual({ unit: "min", divisor: 60 });
    expect(formatDuration(45, "sv")).toBe("45 s");
    expect(formatDuration(150, "sv")).toBe("2,5 min");
    expect(formatDuration(150, "en")).toBe("2.5 min");
    expect(formatDuration(5400 * 2, "sv")).toBe("3 h");
    expect(formatDuration(null, "sv")).toBe("–");
  });
});
