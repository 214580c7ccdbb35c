/**
 * Stack contracts: how one stack publishes outputs and another reads them.
 *
 * cdktf can wire cross-stack references itself, but it names the outputs
 * `cross-stack-output-<hash>` and forces them sensitive. A contract instead declares each output
 * once (stable snake_case name, type, description, review-time default), the producer publishes
 * exactly those names, and the consumer reads them through `terraform_remote_state` against the
 * producer's backend and key, with the stack dependency recorded for `cdktf deploy` ordering.
 */
import { TerraformOutput, TerraformStack } from "cdktf";

type FieldType = "string" | "number" | "bool" | "list";
type ValueOf<T extends FieldType> = T extends "string" ? string : T extends "number" ? number : T extends "bool" ? boolean : string[];

/** One output of a contract. */
export interface FieldSpec<T extends FieldType = FieldType> {
  readonly type: T;
  /** Shown in the synthesized output and the contract table of docs/contracts.md. */
  readonly description: string;
  /**
   * What a consumer sees while the producer's state does not have the output yet, and in review
   * mode (docs/state-and-review.md): shaped like the real value (modules/contracts/placeholders.ts).
   */
  readonly default: ValueOf<T>;
  /**
   * The review-time value for producers on a cloud whose real value has another shape than
   * `default` (a network id is `vpc-...` on AWS, a self link on GCP, a resource id on Azure).
   * @default `default` for every cloud
   */
  readonly placeholders?: Partial<Record<string, ValueOf<T>>>;
  /** Only for values that are secret themselves; secrets are never outputs, so this is rare. */
  readonly sensitive?: boolean;
}

export type Fields = Record<string, FieldSpec>;

/** What a producer passes: a value (or token) for every field. */
export type ContractValues<F extends Fields> = { readonly [K in keyof F]: F[K]["type"] extends "list" ? string[] : F[K]["type"] extends "number" ? number : F[K]["type"] extends "bool" ? boolean | string : string };

/** What a consumer gets: typed tokens for every field. */
export type ContractView<F extends Fields> = { readonly [K in keyof F]: F[K]["type"] extends "list" ? string[] : F[K]["type"] extends "number" ? number : F[K]["type"] extends "bool" ? boolean : string };

const SNAKE = /^[a-z][a-z0-9_]*$/;

/** Where a consumer reads a contract's values: a `terraform_remote_state`, or review placeholders. */
export interface ContractSource {
  getString(key: string): string;
  getNumber(key: string): number;
  getList(key: string): string[];
  getBoolean(key: string): unknown;
}

/** A named set of outputs that a layer publishes. */
export class Contract<F extends Fields> {
  constructor(
    /** Short name, e.g. `network`. */
    readonly name: string,
    readonly fields: F,
  ) {
    for (const [key, spec] of Object.entries(fields)) {
      if (!SNAKE.test(key)) throw new Error(`contract '${name}': output name '${key}' must be snake_case`);
      if (!spec.description.trim()) throw new Error(`contract '${name}': output '${key}' needs a description`);
    }
  }

  /** A contract with more outputs, e.g. a cloud-specific extension of a common shape. */
  extend<G extends Fields>(name: string, more: G): Contract<F & G> {
    const clash = Object.keys(more).filter((key) => key in this.fields);
    if (clash.length > 0) throw new Error(`contract '${name}' redefines ${clash.join(", ")} of '${this.name}'`);
    return new Contract(name, { ...this.fields, ...more } as F & G);
  }

  /**
   * The review-time value of every field, as `terraform_remote_state.defaults` wants them, for a
   * producer on `cloud` (its placeholders where the field has one for that cloud).
   */
  defaults(cloud?: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.fields).map(([key, spec]) => [key, (cloud !== undefined ? spec.placeholders?.[cloud] : undefined) ?? spec.default]));
  }

  /** Publishes every field as a named output of `stack`. */
  publish(stack: TerraformStack, values: ContractValues<F>): void {
    for (const [key, spec] of Object.entries(this.fields)) {
      const value = (values as Record<string, unknown>)[key];
      if (value === undefined) throw new Error(`contract '${this.name}': stack '${stack.node.id}' does not publish '${key}'`);
      new TerraformOutput(stack, key, { value, description: spec.description, sensitive: spec.sensitive ?? false });
    }
  }

  /** Typed getters over a source (remote state or review placeholders) of this contract's values. */
  view(state: ContractSource): ContractView<F> {
    const view: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(this.fields)) {
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => {
          switch (spec.type) {
            case "list":
              return state.getList(key);
            case "number":
              return state.getNumber(key);
            case "bool":
              return state.getBoolean(key);
            default:
              return state.getString(key);
          }
        },
      });
    }
    return view as ContractView<F>;
  }
}
