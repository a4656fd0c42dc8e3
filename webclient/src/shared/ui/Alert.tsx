import type { ApiError } from "../protocol/types";
import { detailedErrorText, errorText } from "./errors";
import { useT } from "./i18n";

interface Props {
  error: ApiError | null;
  onDismiss?: () => void;
  /** Show the server's explanation of invalid input and conflicts. */
  detailed?: boolean;
  testId?: string;
}

/** An error line that screen readers announce at once, with a way to dismiss it. */
export function ErrorAlert({ error, onDismiss, detailed = false, testId }: Props) {
  const t = useT();
  if (!error) return null;
  return (
    <div class="alert" role="alert" data-testid={testId}>
      <span>{detailed ? detailedErrorText(t, error) : errorText(t, error)}</span>
      {onDismiss ? (
        <button type="button" class="link-button" onClick={onDismiss}>
          {t("common.dismiss")}
        </button>
      ) : null}
    </div>
  );
}
