import { describe, expect, it } from "vitest";
import { html, raw } from "./html.js";

describe("html", () => {
  it("escapes interpolated text, so markup in data shows as text", () => {
    const title = `<script>alert(1)</script>"'&`;
    expect(html`<h1 title="${title}">${title}</h1>`.toString()).toBe(
      '<h1 title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</h1>',
    );
  });

  it("nests fragments and lists without double escaping, and drops null, undefined and false", () => {
    const items = ["a<b", "c"];
    expect(
      html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${undefined}${false}${0}`.toString(),
    ).toBe("<ul><li>a&lt;b</li><li>c</li></ul>0");
  });

  it("passes raw markup through only when asked", () => {
    expect(html`${raw("<b>x</b>")}`.toString()).toBe("<b>x</b>");
  });
});
