/** The cdktf App, created the same way by `main.ts` and by the tests. */
import { App } from "cdktf";

export interface CreateAppOptions {
  /** @default "cdktf.out" (or what the cdktf CLI passes) */
  readonly outdir?: string;
}

export function createApp(options: CreateAppOptions = {}): App {
  return new App({ outdir: options.outdir, skipValidation: false });
}
