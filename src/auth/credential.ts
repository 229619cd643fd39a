/** How the action proves who it is: exactly one kind, chosen from the inputs by settings/. */

/** How the action proves who it is. Exactly one kind is chosen by inputs.ts. */
export type Credential =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificate: ClientCertificate }
  | { kind: 'oidc'; tenantId: string; clientId: string; audience: string }
  | { kind: 'token'; accessToken: string }

export interface ClientCertificate {
  /** Hex SHA-256 of the certificate's DER bytes, as MSAL expects. */
  thumbprintSha256: string
  /** The private key as PKCS#8 PEM (MSAL signs the client assertion with it). */
  privateKey: string
  /** The certificate as PEM; MSAL sends it as x5c (subject-name/issuer authentication). */
  x5c: string
  subject: string
  notAfter: Date
}
