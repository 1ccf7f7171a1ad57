import { apiErrorResponses } from "@marg/core/web";
import type { FastifySchema } from "fastify";

/**
 * JSON Schemas of /api/v1/links for the OpenAPI description (and for fast
 * serialisation of responses). Request bodies and queries are validated by the
 * zod schemas in input-schemas.ts — the same ones the HTML forms use —
 * so these describe the input but do not validate it.
 */

export const TAGS = ["links"];
export const security = [{ session: [] }];
export const unsafeSecurity = [{ session: [], csrf: [] }];

/** The schema documents the route; zod validates (one set of rules for forms and API). */
export const documented = (schema: FastifySchema) => ({ schema, validatorCompiler: () => () => true });

export const linkJson = {
  type: "object",
  required: [
    "id",
    "slug",
    "shortUrl",
    "targetUrl",
    "title",
    "tags",
    "enabled",
    "ownerId",
    "createdAt",
    "updatedAt",
  ],
  properties: {
    id: { type: "integer" },
    slug: { type: "string" },
    shortUrl: { type: "string", format: "uri" },
    targetUrl: { type: "string", format: "uri" },
    title: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    enabled: { type: "boolean" },
    ownerId: { type: "integer" },
    clicks: { type: "integer", description: "Flushed clicks (updated every minute); list only" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
} as const;

const linkInputProperties = {
  targetUrl: { type: "string", maxLength: 2048, description: "Absolute http:// or https:// URL" },
  slug: {
    type: "string",
    pattern: "^([a-z0-9-]{3,64})?$",
    description: "3–64 of a-z, 0-9 and -; empty or absent for a generated one",
  },
  title: { type: "string", maxLength: 200 },
  tags: {
    oneOf: [
      { type: "array", items: { type: "string" }, maxItems: 10 },
      { type: "string", description: "Comma-separated" },
    ],
  },
  enabled: { type: "boolean", default: true },
} as const;

export const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;
export const data = (schema: object) => ({
  type: "object",
  required: ["data"],
  properties: { data: schema },
});

export const listLinksSchema = {
  tags: TAGS,
  summary: "List your links (every owner's for admins), newest first",
  security,
  querystring: {
    type: "object",
    properties: {
      q: { type: "string", maxLength: 100 },
      tag: { type: "string" },
      page: { type: "integer", minimum: 1, default: 1 },
      perPage: { type: "integer", minimum: 1, maximum: 100, default: 20 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["data", "pagination"],
      properties: {
        data: { type: "array", items: linkJson },
        pagination: {
          type: "object",
          properties: {
            page: { type: "integer" },
            perPage: { type: "integer" },
            total: { type: "integer" },
            pages: { type: "integer" },
          },
        },
      },
    },
    ...apiErrorResponses(422),
  },
};

export const createLinkSchemaDoc = {
  tags: TAGS,
  summary: "Create a short link",
  security: unsafeSecurity,
  body: { type: "object", required: ["targetUrl"], properties: linkInputProperties },
  response: { 201: data(linkJson), ...apiErrorResponses(422) },
};

export const getLinkSchema = {
  tags: TAGS,
  summary: "One link",
  security,
  params: idParams,
  response: { 200: data(linkJson), ...apiErrorResponses(404) },
};

export const updateLinkSchemaDoc = {
  tags: TAGS,
  summary: "Change a link (any subset of fields; enabled:false switches it off)",
  security: unsafeSecurity,
  params: idParams,
  body: { type: "object", properties: linkInputProperties },
  response: { 200: data(linkJson), ...apiErrorResponses(404, 422) },
};

export const deleteLinkSchema = {
  tags: TAGS,
  summary: "Delete a link and its statistics",
  security: unsafeSecurity,
  params: idParams,
  response: { 204: { type: "null" }, ...apiErrorResponses(404) },
};
