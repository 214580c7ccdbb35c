/**
 * The base of every stack: `<env>-<cloud>-<layer>`, its state backend, the standard tags and,
 * in production, the policy guards. Stacks publish and read contracts through it.
 */
import { Aspects, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { applyBackend, remoteStateFor, resolveBackend, ResolvedBackend } from "./backends";
import { CloudName, EnvironmentConfig, isProduction } from "./config/environment";
import { Contract, ContractValues, ContractView, Fields } from "./contracts/contract";
import { blockPaths, renderHcl } from "./hcl";
import { Layer, stackId } from "./naming";
import { ProductionPolicyAspect } from "./policy/guard";
import { placeholderSource, reviewMode } from "./review";
import { StandardTagsAspect } from "./tags";

/**
 * Terraform >= 1.11: write-only arguments (`*_wo`) fed by ephemeral resources keep generated
 * passwords out of state (modules/ephemeral.ts); 1.10 brought native S3 state locking (`use_lockfile`).
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0";

export interface LayerStackProps {
  readonly env: EnvironmentConfig;
  readonly cloud: CloudName;
  readonly layer: Layer;
}

export class LayerStack extends TerraformStack {
  readonly env: EnvironmentConfig;
  readonly cloud: CloudName;
  readonly layer: Layer;
  /** Where this stack keeps its state; readers of its contract use the same. */
  readonly backend: ResolvedBackend;

  constructor(scope: Construct, props: LayerStackProps) {
    super(scope, stackId(props.env, props.cloud, props.layer));
    this.env = props.env;
    this.cloud = props.cloud;
    this.layer = props.layer;
    this.backend = resolveBackend(props.env, props.cloud, props.layer);
    applyBackend(this, this.backend);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    Aspects.of(this).add(new StandardTagsAspect(props.env));
    if (isProduction(props.env)) Aspects.of(this).add(new ProductionPolicyAspect());
  }

  /**
   * The HCL `cdktf synth --hcl` writes (and the snapshots show): rendered from this stack's
   * Terraform JSON by modules/hcl.ts instead of cdktf's renderer, whose output Terraform rejects or
   * reads differently from the JSON (see there). cdktf's metadata is kept.
   */
  override toHclTerraform(): { [key: string]: any } {
    const { metadata } = super.toHclTerraform();
    return { hcl: renderHcl(this.toTerraform(), blockPaths(this)), metadata };
  }

  /** True in the production stage. */
  get production(): boolean {
    return isProduction(this.env);
  }

  /** Publishes this stack's contract as named outputs. */
  publish<F extends Fields>(contract: Contract<F>, values: ContractValues<F>): void {
    contract.publish(this, values);
  }

  /**
   * Reads `producer`'s contract through `terraform_remote_state` on the producer's backend and key,
   * with placeholders shaped for the producer's cloud for outputs not there yet, and records the
   * dependency so `cdktf deploy` orders the stacks. In review mode (modules/review.ts) it reads
   * the placeholders from locals instead, so the stack plans before `producer` was ever deployed.
   */
  read<F extends Fields>(contract: Contract<F>, producer: LayerStack): ContractView<F> {
    this.addDependency(producer);
    const id = `${producer.cloud}_${producer.layer}`;
    const defaults = contract.defaults(producer.cloud);
    if (reviewMode(this)) return contract.view(placeholderSource(this, id, defaults));
    return contract.view(remoteStateFor(this, id, producer.backend, defaults));
  }
}
