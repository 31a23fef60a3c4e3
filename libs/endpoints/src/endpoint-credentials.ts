import { Injectable } from '@nestjs/common';
import { InvalidInputError, SecretBox } from '@caravan/common';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { EndpointAuthenticationDto, EndpointTlsDto, EndpointTlsView } from './dtos/endpoint-credentials.dto';
import { activeSecrets } from './endpoint-secret';
import type {
  Endpoint,
  EndpointSecret,
  StoredAuthentication,
  StoredClientCertificate,
} from './entities/endpoint.entity';

/** Opened values kept; past this the map starts again empty. */
const OPENED_KEPT = 10_000;

export interface ClientCertificate {
  cert: string;
  key: string;
}

/**
 * The only place endpoint credentials are sealed and opened. The data plane asks it for what a
 * delivery needs; nothing else sees the plaintext.
 */
@Injectable()
export class EndpointCredentials {
  /**
   * Opened values by their sealed form, which a new secret or a rotation changes (a fresh IV each
   * time): opening one per delivery was 4 % of the agent's time at its ceiling. The process holds
   * the key that opens them anyway; the size bound only keeps memory in check.
   */
  private readonly opened = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  sealSecret(secret: string): string {
    return this.box.seal(secret);
  }

  openSecret(secret: EndpointSecret): string {
    return this.open(secret.value);
  }

  /** Secrets that sign now, oldest first, opened. */
  activeSecrets(endpoint: Endpoint, now = new Date()): string[] {
    return activeSecrets(endpoint.secrets, now).map((secret) => this.open(secret.value));
  }

  sealAuthentication(auth: EndpointAuthenticationDto): StoredAuthentication {
    const secret =
      auth.type === 'api_key'
        ? { value: auth.header_value }
        : { username: auth.username, password: auth.password ?? '' };
    return {
      type: auth.type,
      ...(auth.type === 'api_key' ? { header_name: auth.header_name } : {}),
      sealed: this.box.seal(JSON.stringify(secret)),
    };
  }

  /** Headers that authenticate a delivery to this endpoint. */
  authenticationHeaders(endpoint: Endpoint): Record<string, string> {
    const auth = endpoint.authentication;
    if (!auth) return {};
    const secret = JSON.parse(this.open(auth.sealed)) as {
      value?: string;
      username?: string;
      password?: string;
    };
    if (auth.type === 'api_key') return { [auth.header_name!.toLowerCase()]: secret.value ?? '' };
    return {
      authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`, 'utf8').toString('base64')}`,
    };
  }

  /** Checks that the key belongs to the certificate before sealing it. */
  sealClientCertificate(tls: EndpointTlsDto): StoredClientCertificate {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(tls.client_cert);
    } catch {
      throw new InvalidInputError('client_cert must be a PEM certificate', 'tls.client_cert');
    }
    try {
      if (!certificate.checkPrivateKey(createPrivateKey(tls.client_key))) {
        throw new InvalidInputError('client_key does not belong to client_cert', 'tls.client_key');
      }
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      throw new InvalidInputError('client_key must be a PEM private key', 'tls.client_key');
    }
    return { client_cert: tls.client_cert, sealed_key: this.box.seal(tls.client_key) };
  }

  clientCertificate(endpoint: Endpoint): ClientCertificate | null {
    return endpoint.tls
      ? { cert: endpoint.tls.client_cert, key: this.open(endpoint.tls.sealed_key) }
      : null;
  }

  private open(sealed: string): string {
    let plaintext = this.opened.get(sealed);
    if (plaintext === undefined) {
      plaintext = this.box.open(sealed);
      if (this.opened.size >= OPENED_KEPT) this.opened.clear();
      this.opened.set(sealed, plaintext);
    }
    return plaintext;
  }
}

export function describeClientCertificate(tls: StoredClientCertificate | null): EndpointTlsView | null {
  if (!tls) return null;
  const certificate = new X509Certificate(tls.client_cert);
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    expires_at: new Date(certificate.validTo).toISOString(),
    fingerprint256: certificate.fingerprint256,
  };
}
