import type { Fleet } from "../fleet/fleet.js";
import type { FleetSecrets } from "../secrets/fleet-secrets.js";

/** One file a renderer produces, relative to the output folder: `<server>/etc/…`. */
export interface RenderedFile {
  /** Forward-slash path under the output folder, starting with the server's name. */
  readonly path: string;
  readonly content: string;
  /** Unix permissions; 0o600 for anything holding a secret, 0o755 for scripts. */
  readonly mode: number;
  /** `user:group` that install.sh gives the file on the server (default root:root). */
  readonly owner?: string;
}

/** What every renderer reads: the fleet and its secrets. Renderers are pure. */
export interface RenderInput {
  readonly fleet: Fleet;
  readonly secrets: FleetSecrets;
}

/** A renderer: inventory in, files out, no I/O. */
export type Renderer = (input: RenderInput) => RenderedFile[];
