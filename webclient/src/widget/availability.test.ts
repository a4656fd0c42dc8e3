import { describe, expect, it } from "vitest";
import { translate } from "../shared/i18n";
import type { Availability } from "../shared/protocol/types";
import { describeAvailability, questionText } from "./availability";

const now = new Date("2026-10-20T10:00:00Z"); // a Tuesday

function availability(extra: Partial<Availability>): Availability {
  return { room: "umea", open: false, officers_on_duty: 0, in_window: false, current_window: null, next_window: null, ...extra };
}

describe("describeAvailability", () => {
  it("is unknown before the first answer", () => {
    expect(describeAvailability(null, "sv", now).kind).toBe("unknown");
  });

  it("open: officers and until when", () => {
    const view = describeAvailability(
      availability({
        open: true,
        officers_on_duty: 2,
        in_window: true,
        current_window: { start: "2026-10-20T06:00:00Z", end: "2026-10-21T00:00:00Z", label: "" },
      }),
      "sv",
      now,
    );
    expect(view).toMatchObject({ kind: "open", officers: 2, until: "02:00" });
    const aroundTheClock = describeAvailability(
      availability({
        open: true,
        officers_on_duty: 1,
        in_window: true,
        current_window: { start: "2026-10-19T22:00:00Z", end: "2026-11-30T23:00:00Z" },
      }),
      "sv",
      now,
    );
    expect(aroundTheClock).toMatchObject({ kind: "open", until: "" });
  });

  it("closed: when next, with the label, and what the question text says", () => {
    const view = describeAvailability(
      availability({ next_window: { start: "2026-10-23T16:00:00Z", end: "2026-10-24T00:00:00Z", label: "" } }),
      "sv",
      now,
    );
    expect(view).toMatchObject({ kind: "closed", next: "fredag 18:00" });
    const q = questionText(view);
    expect(translate("sv", q.key, q.params)).toBe(
      "Din fråga besvaras när polisen är online igen, fredag 18:00. Är det akut – ring 112.",
    );
    const valborg = describeAvailability(
      availability({ next_window: { start: "2026-04-30T16:00:00Z", end: "2026-05-01T00:00:00Z", label: "Valborg" } }),
      "en",
      new Date("2026-04-20T10:00:00Z"),
    );
    expect(valborg.next).toBe("Thursday 30 April 18:00 (Valborg)");
  });

  it("in a window with nobody on duty: waiting, answered as soon as someone comes", () => {
    const view = describeAvailability(
      availability({
        in_window: true,
        current_window: { start: "2026-10-20T06:00:00Z", end: "2026-10-21T00:00:00Z" },
        next_window: { start: "2026-10-23T16:00:00Z", end: "2026-10-24T00:00:00Z" },
      }),
      "sv",
      now,
    );
    expect(view.kind).toBe("waiting");
    expect(questionText(view).key).toBe("chat.leaveBodySoon");
  });

  it("nothing scheduled: no time to promise", () => {
    const view = describeAvailability(availability({}), "sv", now);
    expect(view).toMatchObject({ kind: "closed", next: "" });
    expect(questionText(view).key).toBe("chat.leaveBodyNoTime");
  });
});
