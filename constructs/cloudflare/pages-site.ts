/**
 * The static Next.js export on Cloudflare Pages: the project (production branch, build command,
 * output directory) and its custom domains, apex and www, with proxied DNS records.
 */
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { PagesDomain } from "@cdktf/provider-cloudflare/lib/pages-domain";
import { PagesProject } from "@cdktf/provider-cloudflare/lib/pages-project";
import { Construct } from "constructs";

/** Properties for {@link PagesSite}. */
export interface PagesSiteProps {
  readonly accountId: string;
  readonly zoneId: string;
  readonly projectName: string;
  readonly productionBranch: string;
  readonly buildCommand: string;
  readonly outputDirectory: string;
  /** The site's apex (the environment's domain); `www.` is added. */
  readonly domain: string;
}

export class PagesSite extends Construct {
  readonly project: PagesProject;
  /** `<project>.pages.dev`. */
  readonly pagesHost: string;

  constructor(scope: Construct, id: string, props: PagesSiteProps) {
    super(scope, id);
    this.project = new PagesProject(this, "project", {
      accountId: props.accountId,
      name: props.projectName,
      productionBranch: props.productionBranch,
      buildConfig: { buildCommand: props.buildCommand, destinationDir: props.outputDirectory },
    });
    this.pagesHost = this.project.subdomain;
    for (const [key, name] of [["apex", props.domain], ["www", `www.${props.domain}`]] as const) {
      new PagesDomain(this, `${key}-domain`, { accountId: props.accountId, projectName: this.project.name, name });
      new DnsRecord(this, `${key}-record`, {
        zoneId: props.zoneId,
        name,
        type: "CNAME",
        content: this.pagesHost,
        proxied: true,
        ttl: 1,
        comment: "Cloudflare Pages front end",
      });
    }
  }
}
