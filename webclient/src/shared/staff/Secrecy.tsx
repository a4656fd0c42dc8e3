import { hasKey, type Translate, useT } from "./i18n";
import type { Verdict } from "../protocol/community";
import { highlight } from "./community";
import { useS } from "./text";

/** Moderation flags in words ("Personnummer, Ärendenummer"); unknown flags as they came. */
export function flagNames(t: Translate, flags: readonly string[]): string {
  return flags.map((f) => (hasKey(`flag.${f}`) ? t(`flag.${f}` as Parameters<Translate>[0]) : f)).join(", ");
}

/** A text with the secrecy check's spans marked (as text: nothing is parsed as HTML). */
export function Marked({ text, spans, testId }: { text: string; spans?: Verdict["spans"] | null; testId?: string }) {
  const t = useT();
  return (
    <p class="marked" data-testid={testId}>
      {highlight(text, spans).map((seg, i) =>
        seg.flag ? (
          <mark key={i} title={flagNames(t, [seg.flag])} data-flag={seg.flag}>
            {seg.text}
          </mark>
        ) : (
          seg.text
        ),
      )}
    </p>
  );
}

/**
 * The secrecy check's verdict on a text: what it found (flags and the library's reasons), or
 * that it found nothing. `flags` alone (no verdict) when only the stored flags are known.
 */
export function SecrecyVerdict({ verdict, flags, testId }: { verdict?: Verdict | null; flags?: readonly string[] | null; testId?: string }) {
  const t = useT();
  const s = useS();
  const found = verdict?.flags ?? flags ?? [];
  if (found.length === 0) {
    return (
      <p class="secrecy secrecy-ok" data-testid={testId}>
        {s("secrecy.none")}
      </p>
    );
  }
  return (
    <div class="secrecy secrecy-warn" role="note" data-testid={testId}>
      <p>
        <strong>{s("secrecy.found")}</strong> {flagNames(t, found)}
      </p>
      {verdict?.reasons?.length ? (
        <ul>
          {verdict.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
