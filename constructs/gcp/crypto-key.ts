/**
 * A Cloud KMS key for customer-managed encryption (CMEK): its own key ring in the resource's region,
 * rotated every 90 days, usable (encrypt/decrypt only) by the Google service agents named. Always
 * kept on destroy: GCP never deletes a key, Terraform would destroy its versions and with them every
 * byte encrypted under it.
 */
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { Construct } from "constructs";

/** Properties for {@link CryptoKey}. */
export interface CryptoKeyProps {
  /** Key ring name: key rings cannot be deleted in GCP, so the name is reserved for good. */
  readonly keyRingName: string;
  readonly keyName: string;
  readonly location: string;
  /** Service-agent emails that encrypt and decrypt with the key (e.g. GKE's, Cloud SQL's, GCS's). */
  readonly encrypterDecrypters: readonly string[];
}

export class CryptoKey extends Construct {
  readonly key: KmsCryptoKey;
  /** The key's id, `projects/.../cryptoKeys/<name>`, as CMEK settings want it. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: CryptoKeyProps) {
    super(scope, id);
    const ring = new KmsKeyRing(this, "ring", { name: props.keyRingName, location: props.location });
    this.key = new KmsCryptoKey(this, "key", {
      name: props.keyName,
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: "7776000s",
      lifecycle: { preventDestroy: true },
    });
    this.id = this.key.id;
    props.encrypterDecrypters.forEach((email, index) => {
      new KmsCryptoKeyIamMember(this, `user-${index}`, {
        cryptoKeyId: this.key.id,
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member: `serviceAccount:${email}`,
      });
    });
  }
}
