/**
 * Reads the shared layout's two link lists out of a page, for tests of what a
 * user is shown: the app switcher's entries and the app's own navigation, each
 * as its links' labels in page order.
 */

const LINK = /<a href="[^"]*"[^>]*>([^<]*)<\/a>/g;

function labelsIn(fragment: string | undefined): string[] {
  return fragment === undefined ? [] : [...fragment.matchAll(LINK)].map((match) => match[1] ?? "");
}

/** The app switcher's entries (app titles). */
export function switcherApps(body: string): string[] {
  const list = /<ul class="app-switcher">([\s\S]*?)<\/ul>/.exec(body);
  if (list === null) throw new Error("the page has no app switcher");
  return labelsIn(list[1]);
}

/** The app's own navigation under the header (empty when the page has none). */
export function navLabels(body: string): string[] {
  return labelsIn(/<nav class="app-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1]);
}
