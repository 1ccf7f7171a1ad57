import type { TestClient, TestResponse } from "@marg/core/testing";

export type JsonResponse = Pick<TestResponse, "status" | "headers" | "json">;

/** The response body as the shape a test expects (it asserts on it anyway). */
export function bodyOf<T>(response: JsonResponse): T {
  return response.json as T;
}

const JSON_HEADERS = { accept: "application/json", "content-type": "application/json" };

/**
 * JSON API calls with a client's cookies (the same session), as a script or SPA
 * would send them: `Accept: application/json`, the CSRF token in `X-CSRF-Token`
 * (fetched from /api/v1/me once) on unsafe methods, unless a test leaves it out.
 */
export class JsonClient {
  constructor(private readonly client: TestClient) {}

  get(path: string): Promise<JsonResponse> {
    return this.client.getJson(path);
  }

  post(path: string, body: unknown, options: { csrf?: boolean } = {}): Promise<JsonResponse> {
    return options.csrf === false
      ? this.client.send("POST", path, JSON.stringify(body), JSON_HEADERS)
      : this.client.sendJson("POST", path, body);
  }

  patch(path: string, body: unknown): Promise<JsonResponse> {
    return this.client.sendJson("PATCH", path, body);
  }

  delete(path: string): Promise<JsonResponse> {
    return this.client.sendJson("DELETE", path);
  }
}
