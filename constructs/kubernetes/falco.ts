/** Falco runtime threat detection on every node (modern eBPF probe, JSON events to stdout for Fluent Bit). */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export class Falco extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    new PinnedChart(this, "chart", {
      source: CHARTS.falco,
      namespace: "falco",
      provider: ctx.helm,
      values: {
        driver: { kind: "modern_ebpf" },
        tty: true,
        falco: { json_output: true, priority: "notice" },
        falcosidekick: { enabled: false },
        collectors: { kubernetes: { enabled: true } },
      },
    });
  }
}
