/** `@marg/id/testing`: the id app on a temp installation over real sockets, and the browser and fetch to drive it. */
export { type HostPorts, hostFetch } from "./host-fetch.js";
export { ID_TEST_HOST, ID_TEST_ISSUER, type IdTestApp, startIdTestApp } from "./id-test-app.js";
export { authorize, type CodeRedirect, discoverAs, type RpAuth } from "./relying-party.js";
export { type BrowserPage, TestBrowser } from "./test-browser.js";
