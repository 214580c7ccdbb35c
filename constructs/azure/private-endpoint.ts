/** A private endpoint for one sub-resource of a service, registered in its private DNS zone. */
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Construct } from "constructs";

/** Properties for {@link privateEndpoint}. */
export interface PrivateEndpointProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly subnetId: string;
  readonly resourceId: string;
  /** e.g. `vault`, `blob`, `MongoDB`, `redisCache`. */
  readonly subresource: string;
  readonly dnsZoneId: string;
}

export function privateEndpoint(scope: Construct, id: string, props: PrivateEndpointProps): PrivateEndpoint {
  return new PrivateEndpoint(scope, id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    subnetId: props.subnetId,
    privateServiceConnection: {
      name: props.name,
      privateConnectionResourceId: props.resourceId,
      subresourceNames: [props.subresource],
      isManualConnection: false,
    },
    privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [props.dnsZoneId] },
  });
}
