import type { FastifyRequest } from "fastify";
import type { SafeHtml } from "../html.js";

/**
 * One card of the account page (two-factor, passkeys, API tokens, devices…): given the
 * signed-in request and its CSRF token, the card's HTML. Each feature registers its own
 * with {@link AccountSections.add}; the page shows them in that order after profile and password.
 */
export type AccountSection = (request: FastifyRequest, csrf: string) => Promise<SafeHtml>;

/** The account page's extra cards, in registration order. */
export class AccountSections {
  readonly #sections: AccountSection[] = [];

  add(section: AccountSection): void {
    this.#sections.push(section);
  }

  async render(request: FastifyRequest, csrf: string): Promise<SafeHtml[]> {
    return await Promise.all(this.#sections.map((section) => section(request, csrf)));
  }
}
