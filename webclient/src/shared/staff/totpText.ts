import type { Lang, Params } from "../i18n";
import { fill } from "../i18n";
import { useI18n } from "../ui/i18n";

/**
 * Strings of two-factor login (the login form's code field, enrolment, the console's reminder).
 * Only the staff pages use them: they live here, not in the shared catalogs, because the widget
 * downloads those whole and has a size budget.
 */
const sv = {
  "login.totp": "Kod från autentiseringsappen (eller en reservkod)",
  "login.totpNeeded": "Skriv koden från din autentiseringsapp.",
  "login.totpWrong": "Fel eller redan använd kod. Vänta på nästa och försök igen.",
  "totp.title": "Slå på tvåstegsinloggning",
  "totp.required": "Arbetsledare och administratörer loggar in med en kod från en autentiseringsapp också. Ställ in den nu för att fortsätta.",
  "totp.step1": "Lägg till ett konto i din autentiseringsapp (t.ex. Microsoft eller Google Authenticator, FreeOTP) med den här nyckeln, eller öppna länken i telefonen:",
  "totp.key": "Nyckel",
  "totp.link": "Öppna i autentiseringsappen",
  "totp.step2": "Skriv den sexsiffriga koden som appen visar:",
  "totp.code": "Kod",
  "totp.confirm": "Slå på",
  "totp.wrong": "Koden stämmer inte. Kontrollera att telefonens klocka går rätt och prova nästa kod.",
  "totp.codesTitle": "Dina reservkoder",
  "totp.codes": "Varje kod fungerar en gång om du tappar bort telefonen. Spara dem säkert: de visas bara nu.",
  "totp.done": "Jag har sparat dem – fortsätt",
  "totp.nag": "Ditt konto har ännu ingen tvåstegsinloggning. Slå på den för att skydda konsolen.",
  "totp.nagAction": "Slå på",
  "totp.later": "Senare",
  "totp.passwordAgain": "Skriv ditt lösenord igen innan du slår på tvåstegsinloggning, så att ingen annan kan göra det från en inloggning du glömt.",
  "totp.password": "Lösenord",
  "totp.continue": "Fortsätt",
};

export type TotpKey = keyof typeof sv;

const en: Record<TotpKey, string> = {
  "login.totp": "Code from the authenticator app (or a recovery code)",
  "login.totpNeeded": "Enter the code from your authenticator app.",
  "login.totpWrong": "Wrong or already used code. Wait for the next one and try again.",
  "totp.title": "Turn on two-factor login",
  "totp.required": "Supervisors and administrators log in with a code from an authenticator app as well. Set it up now to continue.",
  "totp.step1": "Add an account in your authenticator app (e.g. Microsoft or Google Authenticator, FreeOTP) with this key, or open the link on your phone:",
  "totp.key": "Key",
  "totp.link": "Open in the authenticator app",
  "totp.step2": "Enter the 6-digit code the app shows:",
  "totp.code": "Code",
  "totp.confirm": "Turn on",
  "totp.wrong": "The code does not match. Check that the phone's clock is right and try the next code.",
  "totp.codesTitle": "Your recovery codes",
  "totp.codes": "Each code works once if you lose your phone. Keep them somewhere safe: they are shown only now.",
  "totp.done": "I have saved them – continue",
  "totp.nag": "Your account has no two-factor login yet. Turn it on to protect the console.",
  "totp.nagAction": "Turn on",
  "totp.later": "Later",
  "totp.passwordAgain": "Type your password again before you turn on two-step login, so that nobody else can do it from a session you left open.",
  "totp.password": "Password",
  "totp.continue": "Continue",
};

const catalogs: Record<Lang, Record<TotpKey, string>> = { sv, en };

export function totpTranslator(lang: Lang): (key: TotpKey, params?: Params) => string {
  return (key, params) => fill(catalogs[lang][key], params);
}

/** The two-factor strings in the page's current language. */
export function useTotpT(): (key: TotpKey, params?: Params) => string {
  return totpTranslator(useI18n().lang);
}
