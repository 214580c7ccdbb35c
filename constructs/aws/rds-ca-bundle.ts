/**
 * The certificate bundle of the CAs that sign RDS server certificates in one region, as AWS
 * publishes it (https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem), read at
 * plan time over HTTPS (the web PKI vouches for the host). A client outside AWS verifies the RDS
 * server against it; no AWS API returns the PEM (`aws_rds_certificate` has only ids and dates).
 */
import { DataHttp } from "@cdktf/provider-http/lib/data-http";
import { HttpProvider } from "@cdktf/provider-http/lib/provider";
import { Construct } from "constructs";

export class RdsCaBundle extends Construct {
  /** The PEM bundle, as a reference to the plan-time read. */
  readonly pem: string;
  readonly url: string;

  constructor(scope: Construct, id: string, region: string) {
    super(scope, id);
    new HttpProvider(this, "http");
    this.url = `https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`;
    const bundle = new DataHttp(this, "bundle", {
      url: this.url,
      retry: { attempts: 3, minDelayMs: 1000 },
      lifecycle: {
        postcondition: [
          {
            condition: "${self.status_code == 200 && strcontains(self.response_body, \"BEGIN CERTIFICATE\")}",
            errorMessage: `${this.url} did not return a PEM certificate bundle`,
          },
        ],
      },
    });
    this.pem = bundle.responseBody;
  }
}
