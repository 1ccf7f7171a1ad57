import type { AppContext } from "@marg/core/app";
import type { FlowServices } from "../flow-services.js";

/** What every flow route module gets: the platform's page renderer and guards, and flow's services. */
export interface FlowRouteContext {
  readonly services: FlowServices;
  readonly pages: AppContext["pages"];
  readonly guards: AppContext["guards"];
}
