import { Injectable } from '@nestjs/common';
import { InvalidInputError, SecretBox } from '@caravan/common';
import { SourceBrokerDto } from './dtos/source-broker.dto';
import { SourceVerifierDto, VERIFIER_FIELDS } from './dtos/source-verifier.dto';
import type {
  BrokerSourceType,
  KafkaSettings,
  PubSubSettings,
  SqsSettings,
  StoredBroker,
  StoredVerifier,
} from './entities/source.entity';
import type { VerifierSettings } from './verifiers/request-verifier';

/** A broker source's settings with its credentials opened: what a consumer needs to connect. */
export interface BrokerSettings {
  workers: number;
  kafka?: Omit<KafkaSettings, 'sasl'> & { sasl?: NonNullable<KafkaSettings['sasl']> & { password: string } };
  sqs?: SqsSettings & { secret_access_key?: string };
  pubsub?: PubSubSettings & { credentials_json?: string };
}

interface BrokerSecrets {
  sasl_password?: string;
  secret_access_key?: string;
  credentials_json?: string;
}

const BROKER_TYPES: readonly BrokerSourceType[] = ['kafka', 'sqs', 'pubsub'];

/**
 * The only place source secrets are sealed and opened, as EndpointCredentials is for endpoints:
 * the stored shapes keep non-secret parts in the clear (the API shows them) and the secrets as one
 * sealed JSON document.
 */
@Injectable()
export class SourceCredentials {
  constructor(private readonly box: SecretBox) {}

  sealVerifier(verifier: SourceVerifierDto): StoredVerifier {
    const allowed = VERIFIER_FIELDS[verifier.type];
    for (const [field, value] of Object.entries(verifier)) {
      if (field !== 'type' && value !== undefined && !allowed.includes(field)) {
        throw new InvalidInputError(
          `${field} does not apply to a ${verifier.type} verifier`,
          `verifier.${field}`,
        );
      }
    }
    switch (verifier.type) {
      case 'none':
        return { type: 'none' };
      case 'hmac':
        return {
          type: 'hmac',
          header: verifier.header,
          hash: verifier.hash ?? 'sha256',
          encoding: verifier.encoding ?? 'hex',
          sealed: this.sealJson({ secret: verifier.secret }),
        };
      case 'basic_auth':
        return {
          type: 'basic_auth',
          sealed: this.sealJson({ username: verifier.username, password: verifier.password }),
        };
      case 'api_key':
        return {
          type: 'api_key',
          header_name: verifier.header_name,
          sealed: this.sealJson({ header_value: verifier.header_value }),
        };
      case 'standard-webhooks':
        assertStandardWebhooksSecret(verifier.secret!);
        return { type: verifier.type, sealed: this.sealJson({ secret: verifier.secret }) };
      case 'github':
      case 'stripe':
      case 'shopify':
        return { type: verifier.type, sealed: this.sealJson({ secret: verifier.secret }) };
    }
  }

  openVerifier(verifier: StoredVerifier): VerifierSettings {
    const secrets = (verifier.sealed ? JSON.parse(this.box.open(verifier.sealed)) : {}) as Record<
      string,
      string
    >;
    switch (verifier.type) {
      case 'none':
        return { type: 'none' };
      case 'hmac':
        return {
          type: 'hmac',
          header: verifier.header!,
          hash: verifier.hash!,
          encoding: verifier.encoding!,
          secret: secrets.secret,
        };
      case 'basic_auth':
        return { type: 'basic_auth', username: secrets.username, password: secrets.password };
      case 'api_key':
        return { type: 'api_key', header_name: verifier.header_name!, header_value: secrets.header_value };
      default:
        return { type: verifier.type, secret: secrets.secret };
    }
  }

  /** Checks that a broker source has the one settings block of its type, then seals its credentials. */
  sealBroker(type: BrokerSourceType, broker: SourceBrokerDto): StoredBroker {
    for (const other of BROKER_TYPES) {
      if (other !== type && broker[other] !== undefined && broker[other] !== null) {
        throw new InvalidInputError(`broker.${other} does not apply to a ${type} source`, `broker.${other}`);
      }
    }
    if (!broker[type]) throw new InvalidInputError(`a ${type} source needs broker.${type}`, `broker.${type}`);
    const stored: StoredBroker = { workers: broker.workers ?? 1 };
    const secrets: BrokerSecrets = {};
    if (type === 'kafka') {
      const { brokers, topic, group_id, sasl } = broker.kafka!;
      stored.kafka = {
        brokers,
        topic,
        group_id,
        ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username } } : {}),
      };
      if (sasl) secrets.sasl_password = sasl.password;
    } else if (type === 'sqs') {
      const { queue_url, region, endpoint, access_key_id, secret_access_key } = broker.sqs!;
      if ((access_key_id === undefined) !== (secret_access_key === undefined)) {
        throw new InvalidInputError(
          'give access_key_id and secret_access_key together, or neither',
          'broker.sqs.secret_access_key',
        );
      }
      stored.sqs = {
        queue_url,
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(access_key_id ? { access_key_id } : {}),
      };
      if (secret_access_key) secrets.secret_access_key = secret_access_key;
    } else {
      const { project_id, subscription, credentials_json } = broker.pubsub!;
      if (credentials_json !== undefined && !isJsonObject(credentials_json)) {
        throw new InvalidInputError(
          'credentials_json must be a service account key (a JSON object)',
          'broker.pubsub.credentials_json',
        );
      }
      stored.pubsub = { project_id, subscription };
      if (credentials_json !== undefined) secrets.credentials_json = credentials_json;
    }
    if (Object.keys(secrets).length > 0) stored.sealed = this.sealJson(secrets);
    return stored;
  }

  openBroker(broker: StoredBroker): BrokerSettings {
    const secrets = (broker.sealed ? JSON.parse(this.box.open(broker.sealed)) : {}) as BrokerSecrets;
    const settings: BrokerSettings = { workers: broker.workers };
    if (broker.kafka) {
      const { sasl, ...kafka } = broker.kafka;
      settings.kafka = {
        ...kafka,
        ...(sasl ? { sasl: { ...sasl, password: secrets.sasl_password ?? '' } } : {}),
      };
    }
    if (broker.sqs)
      settings.sqs = {
        ...broker.sqs,
        ...(secrets.secret_access_key ? { secret_access_key: secrets.secret_access_key } : {}),
      };
    if (broker.pubsub)
      settings.pubsub = {
        ...broker.pubsub,
        ...(secrets.credentials_json ? { credentials_json: secrets.credentials_json } : {}),
      };
    return settings;
  }

  private sealJson(secrets: object): string {
    return this.box.seal(JSON.stringify(secrets));
  }
}

/** A `whsec_` secret is keyed by its decoded bytes, so it must decode; any other string is keyed as it is. */
function assertStandardWebhooksSecret(secret: string): void {
  if (!secret.startsWith('whsec_')) return;
  const encoded = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) {
    throw new InvalidInputError('secret must be whsec_ followed by standard base64', 'verifier.secret');
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
