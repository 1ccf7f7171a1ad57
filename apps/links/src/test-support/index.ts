/** `@marg/links/testing`: links on a temp installation, for suites and benchmarks outside links. */
export {
  ACCOUNTS,
  type AccountName,
  type LinksTestApp,
  startLinksTestApp,
  TEST_HOST,
} from "./links-test-app.js";
