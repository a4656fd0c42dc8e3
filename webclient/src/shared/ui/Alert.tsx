import type { ApiError } from "../protocol/types";
import { errorText } from "./errors";
import { useT } from "./i18n";

/** An error line that screen readers announce at once, with a way to dismiss it. */
export function ErrorAlert({ error, onDismiss }: { error: ApiError | null; onDismiss?: () => void }) {
  const t = useT();
  if (!error) return null;
  return (
    <div class="alert" role="alert">
      <span>{errorText(t, error)}</span>
      {onDismiss ? (
        <button type="button" class="link-button" onClick={onDismiss}>
          {t("common.dismiss")}
        </button>
      ) : null}
    </div>
  );
}
