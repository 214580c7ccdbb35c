/**
 * The `interconnect` section of an environment: which clouds are joined by private, encrypted
 * links (HA VPN with BGP), their BGP identities, and DigitalOcean's partner attachment.
 * Rules that need other sections (enabled clouds, network ranges) live in `modules/interconnect.ts`
 * and are reported by the config loader.
 */
import { z } from "zod";
import { Cidr } from "../primitives";
import { StateBackend } from "../state";

/** The clouds with an IPsec VPN gateway; DigitalOcean joins only through a partner attachment. */
export const VPN_CLOUDS = ["aws", "gcp", "azure"] as const;
export type VpnCloud = (typeof VPN_CLOUDS)[number];

/** A private BGP ASN: 16-bit 64512-65534 or 32-bit 4200000000-4294967294 (RFC 6996). */
export const PrivateAsn = z
  .number()
  .int()
  .refine((asn) => (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294), {
    message: "must be a private ASN in 64512-65534 or 4200000000-4294967294",
  });

/** One link between two clouds with a VPN gateway. */
const Link = z
  .object({
    /** The two clouds, e.g. `["aws", "gcp"]`; the order does not matter. */
    clouds: z.tuple([z.enum(["aws", "gcp", "azure", "digitalocean"]), z.enum(["aws", "gcp", "azure", "digitalocean"])]),
    /**
     * The /30 inside each tunnel (its two BGP addresses), in tunnel order: four on links with AWS
     * (two VPN connections of two tunnels each), two between GCP and Azure.
     * @default a fixed set per pair (see `defaultInsideCidrs`)
     */
    insideCidrs: z.array(Cidr).optional(),
  })
  .strict();

/** DigitalOcean Partner Network Connect: the DigitalOcean VPC joins a partner's network over BGP. */
const PartnerAttachment = z
  .object({
    /** The network-as-a-service provider, e.g. `MEGAPORT`. */
    naasProvider: z.string().regex(/^[A-Z][A-Z0-9_]+$/, { message: "must be the provider's name in capitals, such as MEGAPORT" }),
    /** The partner's region the attachment lands in, e.g. `nyc`. */
    region: z.string().regex(/^[a-z]{3}\d?$/, { message: "must be a DigitalOcean region family such as nyc" }),
    /** Bandwidth of the attachment. */
    bandwidthMbps: z.union([z.literal(1000), z.literal(2000), z.literal(5000), z.literal(10000)]),
    /** The partner's redundancy zone (a second attachment in another zone makes the pair redundant). @default the partner's choice */
    redundancyZone: z.string().min(1).optional(),
    /** The cloud the partner's circuit reaches (its Direct Connect / Partner Interconnect side is set up with the partner). */
    peerCloud: z.enum(VPN_CLOUDS),
    bgp: z
      .object({
        /** DigitalOcean's side of the BGP session, a /30 or /29 address in CIDR form, e.g. `169.254.100.1/29`. */
        localRouterIp: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/(29|30)$/, { message: "must be an address with its /29 or /30 prefix, such as 169.254.100.1/29" }),
        /** The partner router's side of the session, same form. */
        peerRouterIp: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/(29|30)$/, { message: "must be an address with its /29 or /30 prefix, such as 169.254.100.6/29" }),
        /** The partner router's ASN (often the partner's public ASN). */
        peerRouterAsn: z.number().int().min(1).max(4294967294),
      })
      .strict(),
  })
  .strict();

export const InterconnectConfig = z
  .object({
    /** Build the gateway and link stacks. @default true */
    enabled: z.boolean().default(true),
    /** One private ASN per cloud, all different. @default aws 64512, gcp 64513, azure 65515 */
    asn: z
      .object({ aws: PrivateAsn.default(64512), gcp: PrivateAsn.default(64513), azure: PrivateAsn.default(65515) })
      .strict()
      .prefault({}),
    /** The links. @default every pair of enabled clouds among AWS, GCP and Azure */
    links: z.array(Link).optional(),
    /** DigitalOcean's way in, when the environment has one. @default none: DigitalOcean stays reachable only over the internet */
    digitalocean: z.object({ partnerAttachment: PartnerAttachment }).strict().optional(),
    /** State of the link stacks. @default the environment's */
    state: StateBackend.optional(),
  })
  .strict();
export type InterconnectConfig = z.infer<typeof InterconnectConfig>;
