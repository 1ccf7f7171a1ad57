export { batchesOf, type CsvValue, csvCell, csvLine, writeCsvFile } from "./csv-file.js";
export { csrfField, type FieldOptions, field, fieldErrors } from "./form.js";
export { escapeHtml, type HtmlValue, html, raw, SafeHtml } from "./html.js";
export {
  type FlashMessage,
  type LayoutApp,
  type LayoutOptions,
  type LayoutUser,
  type NavLink,
  renderLayout,
} from "./layout.js";
