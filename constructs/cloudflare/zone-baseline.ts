/**
 * A Cloudflare zone hardened for the platform: SSL full (strict), TLS 1.2 minimum, TLS 1.3,
 * always HTTPS with automatic rewrites, HSTS (with subdomains and preload), HTTP/3, Brotli, and
 * authenticated origin pulls so origins can refuse anything that is not Cloudflare.
 */
import { AuthenticatedOriginPullsSettings } from "@cdktf/provider-cloudflare/lib/authenticated-origin-pulls-settings";
import { Zone } from "@cdktf/provider-cloudflare/lib/zone";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting";
import { Construct } from "constructs";

/** The zone settings, by Cloudflare setting id. */
export const ZONE_SETTINGS: Readonly<Record<string, unknown>> = {
  ssl: "strict",
  min_tls_version: "1.2",
  tls_1_3: "on",
  always_use_https: "on",
  automatic_https_rewrites: "on",
  http3: "on",
  brotli: "on",
  security_header: {
    strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: true, nosniff: true },
  },
};

/** Properties for {@link ZoneBaseline}. */
export interface ZoneBaselineProps {
  readonly accountId: string;
  readonly domain: string;
  /** Refuse to destroy the zone (and with it every record). @default true */
  readonly preventDestroy?: boolean;
}

export class ZoneBaseline extends Construct {
  readonly zone: Zone;

  constructor(scope: Construct, id: string, props: ZoneBaselineProps) {
    super(scope, id);
    this.zone = new Zone(this, "zone", {
      account: { id: props.accountId },
      name: props.domain,
      type: "full",
      lifecycle: props.preventDestroy === false ? undefined : { preventDestroy: true },
    });
    for (const [settingId, value] of Object.entries(ZONE_SETTINGS)) {
      // `value` is dynamically typed in the provider schema (a string or an object per setting).
      new ZoneSetting(this, settingId, { zoneId: this.zone.id, settingId, value: value as Record<string, unknown> });
    }
    new AuthenticatedOriginPullsSettings(this, "origin-pulls", { zoneId: this.zone.id, enabled: true });
  }
}
