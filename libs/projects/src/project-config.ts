import { DEFAULT_RETRY_CONFIG, definedFields, mergeRetryConfig, RetryConfig } from '@caravan/common';

export type SignatureScheme = 'simple';
export type SignatureHash = 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

export interface SignatureConfig {
  scheme: SignatureScheme;
  header: string;
  hash: SignatureHash;
  encoding: SignatureEncoding;
}

/** A project's settings as stored and returned: every field present. */
export interface ProjectConfig {
  signature: SignatureConfig;
  retry: RetryConfig;
}

export const DEFAULT_SIGNATURE_CONFIG: SignatureConfig = {
  scheme: 'simple',
  header: 'X-Caravan-Signature',
  hash: 'sha256',
  encoding: 'hex',
};

export interface ProjectConfigPatch {
  signature?: Partial<SignatureConfig>;
  retry?: Partial<RetryConfig>;
}

export function resolveProjectConfig(base: ProjectConfig | undefined, patch: ProjectConfigPatch | undefined): ProjectConfig {
  const current = base ?? { signature: DEFAULT_SIGNATURE_CONFIG, retry: DEFAULT_RETRY_CONFIG };
  return {
    signature: { ...current.signature, ...definedFields(patch?.signature) },
    retry: mergeRetryConfig(current.retry, patch?.retry),
  };
}

