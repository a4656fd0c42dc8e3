import type { Card } from "../protocol/types";
import { displayTel, kindToken, safeUrl, siteName, telHref } from "./card";
import { useT } from "./i18n";

interface Props {
  card: Card;
  testId: string;
  /** A small line above the title, e.g. "From the police". */
  label?: string;
  /** Called when the call button or the link is used (records that the card was opened). */
  onOpen?: () => void;
  /** The officer's copy in the console: the same card, without live call and link. */
  preview?: boolean;
}

/**
 * A guidance or handoff card: title, multi-line body (newlines kept), a big tap-to-call
 * link and a link that opens in a new tab. The 112 card is styled as urgent.
 */
export function GuidanceCard({ card, testId, label, onOpen, preview }: Props) {
  const t = useT();
  const tel = telHref(card.tel);
  const url = safeUrl(card.url);
  const urgent = card.kind === "112";
  return (
    <article class={`card card-${kindToken(card.kind)}${urgent ? " card-urgent" : ""}`} data-testid={testId} data-kind={card.kind}>
      {label ? <p class="card-label">{label}</p> : null}
      <h3 class="card-title">{card.title}</h3>
      <p class="card-body">{card.body}</p>
      {tel || url ? (
        <div class="card-actions">
          {preview ? (
            <>
              {tel && card.tel ? <span class="card-call card-preview">{t("card.call", { number: displayTel(card.tel) })}</span> : null}
              {url ? <span class="card-link">{url}</span> : null}
            </>
          ) : null}
          {!preview && tel && card.tel ? (
            <a class="card-call" href={tel} data-testid={`${testId}-call`} onClick={() => onOpen?.()}>
              {t("card.call", { number: displayTel(card.tel) })}
            </a>
          ) : null}
          {!preview && url ? (
            <a class="card-link" href={url} target="_blank" rel="noopener noreferrer" data-testid={`${testId}-link`} onClick={() => onOpen?.()}>
              {t("card.open", { site: siteName(url) })}
              <span class="visually-hidden"> {t("card.newTab")}</span>
            </a>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
