import { describe, expect, it } from "vitest";
import type { ScheduleWindow } from "../shared/protocol/types";
import { datedBody, sortWindows, weeklyBody } from "./schedule";

describe("schedule forms", () => {
  it("builds the weekly spec the server parses", () => {
    expect(weeklyBody({ weekday: "fri", start: "18:00", end: "02:00", label: "" })).toEqual({ weekly: "fri 18:00-02:00" });
    expect(weeklyBody({ weekday: "sat", start: "20:00", end: "02:00", label: " Sommarlov " })).toEqual({
      weekly: "sat 20:00-02:00",
      label: "Sommarlov",
    });
    expect(weeklyBody({ weekday: "fredag", start: "18:00", end: "02:00", label: "" })).toBeNull();
    expect(weeklyBody({ weekday: "fri", start: "", end: "02:00", label: "" })).toBeNull();
  });

  it("builds a dated window", () => {
    expect(datedBody({ date: "2026-04-30", start: "18:00", end: "02:00", label: "Valborg" })).toEqual({
      date: "2026-04-30",
      start: "18:00",
      end: "02:00",
      label: "Valborg",
    });
    expect(datedBody({ date: "", start: "18:00", end: "02:00", label: "" })).toBeNull();
  });

  it("sorts weekly windows Monday first and dated ones by date", () => {
    const w = (id: string, extra: Partial<ScheduleWindow>): ScheduleWindow => ({
      id, kind: "weekly", weekday: null, date: null, start: "18:00", end: "02:00", label: "", ...extra,
    });
    const { weekly, dated } = sortWindows([
      w("1", { weekday: "sat" }),
      w("2", { weekday: "fri" }),
      w("3", { kind: "dated", date: "2026-06-12" }),
      w("4", { kind: "dated", date: "2026-04-30" }),
      w("5", { weekday: "mon", start: "20:00" }),
    ]);
    expect(weekly.map((x) => x.id)).toEqual(["5", "2", "1"]);
    expect(dated.map((x) => x.id)).toEqual(["4", "3"]);
  });
});
