/**
 * An advanced certificate for an environment that lives deeper in another environment's zone.
 * Universal SSL covers the zone apex and one level of subdomains (`*.addtocloud.tech`), so
 * `www.staging.addtocloud.tech` and `api.staging.addtocloud.tech` would fail the TLS handshake at
 * the edge without a certificate for `*.staging.addtocloud.tech`. Needs Advanced Certificate
 * Manager on the zone.
 */
import { CertificatePack } from "@cdktf/provider-cloudflare/lib/certificate-pack";
import { Construct } from "constructs";

/** Properties for {@link SubdomainCertificate}. */
export interface SubdomainCertificateProps {
  readonly zoneId: string;
  /** The zone's apex (Cloudflare requires it among the hosts). */
  readonly zoneName: string;
  /** The environment's domain inside the zone; the certificate covers it and `*.<domain>`. */
  readonly domain: string;
}

export class SubdomainCertificate extends Construct {
  readonly pack: CertificatePack;

  constructor(scope: Construct, id: string, props: SubdomainCertificateProps) {
    super(scope, id);
    if (!props.domain.endsWith(`.${props.zoneName}`)) {
      throw new Error(`SubdomainCertificate: ${props.domain} is not inside the zone ${props.zoneName}`);
    }
    this.pack = new CertificatePack(this, "pack", {
      zoneId: props.zoneId,
      type: "advanced",
      hosts: [props.zoneName, props.domain, `*.${props.domain}`],
      certificateAuthority: "lets_encrypt",
      validationMethod: "txt",
      validityDays: 90,
      cloudflareBranding: false,
    });
  }
}
